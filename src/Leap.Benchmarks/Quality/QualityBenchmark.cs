using Leap.Training.Data;
using Microsoft.Extensions.Logging;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// Runs a <see cref="QualityGrid"/> cell by cell through the <see cref="QualityResultCache"/>: finished cells are
/// skipped, a split's data is opened only if one of its cells is missing (its images are streamed per batch), and after every computed cell the
/// report is rewritten, so an interrupted benchmark loses at most the cell in progress. <c>cellSaved</c> runs once a
/// computed cell's result is in the cache (the trainer's checkpoints can go then, not before).
/// </summary>
public sealed partial class QualityBenchmark(
    QualityResultCache cache,
    Func<QualitySplit, IQualityProtocol> protocolOf,
    Func<IQualityProtocol, QualitySplit, RunData, QualityMethod, long, CancellationToken, QualityCellResult> runCell,
    QualityBudget budget,
    Action afterCell,
    ILogger logger,
    Action<QualitySplit, QualityMethod, long>? cellSaved = null)
{
    /// <returns>Cells computed by this call (cached cells excluded).</returns>
    public int Run(QualityGrid grid, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int computed = 0;
        foreach (QualitySplit split in grid.Splits)
        {
            QualityRecipe recipe = budget.RecipeFor(split);
            var missing = grid.CellsOf(split).Where(c => cache.TryLoad(c, recipe) is null).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            IQualityProtocol protocol = protocolOf(split);
            using RunData trainSet = protocol.OpenTraining(split);
            Log.SplitLoaded(logger, split.Name, trainSet.Train.Count, trainSet.Train.ClassCount, missing.Count);
            foreach (QualityCell cell in missing)
            {
                if (cancellation.IsCancellationRequested)
                {
                    return computed;
                }

                QualityMethod method = grid.Methods.Single(m => m.Name == cell.Method);
                QualityCellResult result;
                bool ran;
                try
                {
                    (result, ran) = cache.GetOrRun(cell, recipe, () => runCell(protocol, split, trainSet, method, cell.Seed, cancellation));
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    Log.CellStopped(logger, cell.ToString());
                    return computed;
                }

                if (ran)
                {
                    cellSaved?.Invoke(split, method, cell.Seed);
                    computed++;
                    Log.CellFinished(logger, cell.ToString(), result.TrainSeconds, string.Join(", ", result.Metrics.Select(m => $"{m.Key} {m.Value:F4}")));
                    afterCell();
                }
            }
        }

        return computed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Split {Split}: {Images} training images of {Classes} classes; {Missing} cells to run")]
        public static partial void SplitLoaded(ILogger logger, string split, int images, int classes, int missing);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Cell {Cell} done in {Seconds:F0} s of training: {Metrics}")]
        public static partial void CellFinished(ILogger logger, string cell, double seconds, string metrics);

        [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Cell {Cell} stopped; its last checkpoint is kept and the next run resumes it")]
        public static partial void CellStopped(ILogger logger, string cell);
    }
}
