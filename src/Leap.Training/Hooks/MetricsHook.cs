using Leap.Training.Engine;
using Leap.Training.Metrics;

namespace Leap.Training.Hooks;

/// <summary>Publishes every step to <see cref="TrainerMetrics"/>: step time, throughput, loss, cloud statistics, skipped steps.</summary>
public sealed class MetricsHook(TrainerMetrics metrics) : ITrainingHook
{
    public void BeforeTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        metrics.Step.Set(session.Step);
        PublishClasses(session);
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        double seconds = outcome.Elapsed.TotalSeconds;
        metrics.StepSeconds.Observe(seconds);
        metrics.DataWaitSeconds.Observe(outcome.DataWait.TotalSeconds);
        metrics.Step.Set(session.Step);
        if (outcome.Skipped)
        {
            metrics.NonFiniteSteps.Inc();
        }
        else
        {
            metrics.Loss.Set(outcome.Loss);
        }
        if (seconds > 0)
        {
            metrics.ImagesPerSecond.Set(session.Options.BatchSize / seconds);
        }
        PublishClasses(session);
    }

    private void PublishClasses(TrainingSession session)
    {
        var statistics = session.Cloud.Source.Statistics;
        metrics.CloudClasses.Set(statistics.CloudClassCount());
        metrics.HeadClasses.Set(Enumerable.Range(0, statistics.ClassCount).Count(statistics.IsHead));
    }
}
