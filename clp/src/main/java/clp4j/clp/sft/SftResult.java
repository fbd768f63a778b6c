package clp4j.clp.sft;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run reports.
 *
 * @param steps                 optimizer steps done in total (resumed runs included)
 * @param stepsThisRun          steps done by this process
 * @param firstLoss             training loss of the first step of this process (NaN if it did none)
 * @param lastLoss              training loss of the last step
 * @param validationLoss        final validation loss per summary token
 * @param finalModel            HF checkpoint directory of the final model (with spiece.model)
 * @param samples               greedy summaries of validation articles
 * @param seconds               wall time of this process's run
 */
public record SftResult(long steps, long stepsThisRun, float firstLoss, float lastLoss, double validationLoss,
                        Path finalModel, List<Validation.Sample> samples, double seconds) { }
