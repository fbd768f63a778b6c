package clp4j.clp.data;

/**
 * One XSum article: its BBC id, the article text ({@code document}, sentences joined by newlines) and
 * the reference summary (the article's introductory sentence).
 */
public record XsumExample(String id, String document, String summary) { }
