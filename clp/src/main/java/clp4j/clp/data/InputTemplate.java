package clp4j.clp.data;

/**
 * The text the encoder reads for an article: a template in which {@value #PLACEHOLDER} stands for the
 * document, e.g. the default {@code "summarize: {document}"} (T5's summarisation prefix).
 */
public record InputTemplate(String template) {
    public static final String PLACEHOLDER = "{document}";
    public static final InputTemplate DEFAULT = new InputTemplate("summarize: " + PLACEHOLDER);

    public InputTemplate {
        if (template == null) throw new IllegalArgumentException("input template is null; use e.g. \"summarize: {document}\"");
        int first = template.indexOf(PLACEHOLDER);
        if (first < 0 || template.indexOf(PLACEHOLDER, first + 1) >= 0) {
            throw new IllegalArgumentException("input template \"" + template + "\" must contain " + PLACEHOLDER
                    + " exactly once, e.g. \"summarize: {document}\"");
        }
    }

    public String apply(String document) {
        return template.replace(PLACEHOLDER, document);
    }
}
