using Leap.Training.Engine;
using Microsoft.Extensions.Logging;

namespace Leap.Training.Hooks;

/// <summary>Structured progress logs every N steps: loss (mean over the window), rate, throughput, share of step time spent waiting for data, cloud statistics.</summary>
public sealed partial class LoggingHook(int everySteps, int batchSize, ILogger<LoggingHook> logger) : ITrainingHook
{
    private double _lossSum;
    private int _lossCount;
    private TimeSpan _elapsed;
    private TimeSpan _dataWait;

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Skipped)
        {
            Log.NonFinite(logger, outcome.Step, outcome.Loss, session.NonFiniteSteps);
        }
        else
        {
            _lossSum += outcome.Loss;
            _lossCount++;
        }
        _elapsed += outcome.Elapsed;
        _dataWait += outcome.DataWait;
        if (session.Step % everySteps != 0 || _lossCount == 0)
        {
            return;
        }
        var stats = session.Cloud.Source.Statistics;
        double imagesPerSecond = _lossCount * batchSize / Math.Max(_elapsed.TotalSeconds, 1e-9);
        Log.Progress(logger, session.Step, outcome.Epoch, _lossSum / _lossCount, outcome.LearningRate, imagesPerSecond,
            100 * _dataWait.TotalSeconds / Math.Max(_elapsed.TotalSeconds, 1e-9), stats.OverallVariance, stats.CloudClassCount(), outcome.CloudSamples);
        _lossSum = 0;
        _lossCount = 0;
        _elapsed = TimeSpan.Zero;
        _dataWait = TimeSpan.Zero;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "step {Step} epoch {Epoch} loss {Loss:F4} lr {LearningRate:G4} {ImagesPerSecond:F0} img/s data wait {DataWaitPercent:F1}% sigma2 {OverallVariance:F5} cloud classes {CloudClasses} cloud samples {CloudSamples}")]
        public static partial void Progress(ILogger logger, long step, int epoch, double loss, double learningRate, double imagesPerSecond,
            double dataWaitPercent, double overallVariance, int cloudClasses, int cloudSamples);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Step {Step} skipped: non-finite loss {Loss} ({Count} so far)")]
        public static partial void NonFinite(ILogger logger, long step, double loss, int count);
    }
}
