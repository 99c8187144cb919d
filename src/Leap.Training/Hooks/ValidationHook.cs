using Leap.Training.Engine;
using Microsoft.Extensions.Logging;

namespace Leap.Training.Hooks;

/// <summary>Every N steps: verification and head/tail accuracy on held-out data, logged and sent to TensorBoard.</summary>
/// <param name="metrics">Also records each evaluation in metrics.jsonl when given.</param>
/// <param name="prometheus">Also publishes each evaluation as leap_validation_metric when given.</param>
public sealed partial class ValidationHook(long everySteps, RunEvaluator evaluator, TensorBoardHook? board, ILogger<ValidationHook> logger,
    MetricsJsonlHook? metrics = null, Metrics.TrainerMetrics? prometheus = null) : ITrainingHook
{
    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (everySteps <= 0 || session.Step % everySteps != 0 || session.Step == session.Options.Steps)
        {
            return;
        }
        var summary = evaluator.Evaluate(session);
        Log.Validation(logger, session.Step, summary.Verification.Accuracy.Mean, summary.Classification.HeadMeanClassAccuracy,
            summary.Classification.TailMeanClassAccuracy);
        board?.Write("val/verification_accuracy", summary.Verification.Accuracy.Mean, session.Step);
        board?.Write("val/head_class_accuracy", summary.Classification.HeadMeanClassAccuracy, session.Step);
        board?.Write("val/tail_class_accuracy", summary.Classification.TailMeanClassAccuracy, session.Step);
        foreach (var (name, value) in summary.Sets ?? new Dictionary<string, double>())
        {
            Log.SetMetric(logger, session.Step, name, value);
            board?.Write($"val/{name}", value, session.Step);
        }
        metrics?.WriteValidation(summary);
        prometheus?.Publish(summary);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "validation at step {Step}: verification accuracy {Verification:P2}, head class accuracy {Head:P2}, tail class accuracy {Tail:P2}")]
        public static partial void Validation(ILogger logger, long step, double verification, double head, double tail);

        [LoggerMessage(Level = LogLevel.Information, Message = "validation at step {Step}: {Metric} = {Value:G5}")]
        public static partial void SetMetric(ILogger logger, long step, string metric, double value);
    }
}
