using Leap.Evaluation;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Microsoft.Extensions.Logging;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Scores the model on its protocol's test set every <paramref name="every"/> steps during training (not at the last
/// step: the cell scores that itself) and records the mean training loss since the previous point: the learning curve
/// that shows whether a budget has converged. Never used to choose anything.
/// </summary>
public sealed partial class QualityCurveHook(
    long every,
    long lastStep,
    Func<TrainingSession, IReadOnlyDictionary<string, double>> score,
    ILogger logger) : ITrainingHook
{
    private readonly List<QualityCurvePoint> _points = [];
    private double _lossSum;
    private int _lossCount;

    public IReadOnlyList<QualityCurvePoint> Points => _points;

    /// <summary>The points so far and the loss since the last one, for a checkpoint.</summary>
    public QualityCurveState Snapshot() => new([.. _points], _lossSum, _lossCount);

    /// <summary>Continues a curve saved by <see cref="Snapshot"/> (a resumed cell).</summary>
    public void Restore(QualityCurveState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _points.Clear();
        _points.AddRange(state.Points);
        (_lossSum, _lossCount) = (state.LossSum, state.LossCount);
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Skipped && double.IsFinite(outcome.Loss))
        {
            _lossSum += outcome.Loss;
            _lossCount++;
        }

        long step = outcome.Step + 1;
        if (every <= 0 || step % every != 0 || step >= lastStep)
        {
            return;
        }

        _points.Add(Take(step, score(session)));
        Log.Point(logger, step, _points[^1].Loss, string.Join(", ", _points[^1].Metrics.Select(m => $"{m.Key} {m.Value:F4}")));
    }

    /// <summary>The final point, with the metrics the cell scored after its last step.</summary>
    public IReadOnlyList<QualityCurvePoint> Finish(long step, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _points.Add(Take(step, metrics));
        return _points;
    }

    private QualityCurvePoint Take(long step, IReadOnlyDictionary<string, double> metrics)
    {
        var point = new QualityCurvePoint(step, _lossCount == 0 ? double.NaN : _lossSum / _lossCount, metrics);
        (_lossSum, _lossCount) = (0, 0);
        return point;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Curve point at step {Step}: loss {Loss:F4}, {Metrics}")]
        public static partial void Point(ILogger logger, long step, double loss, string metrics);
    }
}
