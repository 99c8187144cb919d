using System.Globalization;
using System.Text.RegularExpressions;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Checkpoints;

/// <summary>
/// Reads a distributed run's checkpoints (<c>checkpoints/rank-R-of-N/step-…</c>) back as one model: the backbone,
/// identical on every rank after the gradient all-reduce, from rank 0, and each rank's rows of the model-parallel
/// classifier put back in place (<see cref="ReshardedCheckpoint"/>, weights only): for evaluation, reports
/// and export.
/// </summary>
public static partial class ShardedCheckpointReader
{
    /// <summary>The folder under a run's checkpoints that holds one rank's checkpoints (written by <see cref="TrainingSession"/>).</summary>
    public static string RankFolderName(int rank, int worldSize) => string.Create(CultureInfo.InvariantCulture, $"rank-{rank}-of-{worldSize}");

    /// <summary>
    /// The world size of the run whose checkpoints to read under <paramref name="checkpointsRoot"/>, or null for a
    /// single-process run (checkpoints directly under the root). A run resumed with another number of workers
    /// (<see cref="ReshardedCheckpoint"/>) leaves folders of several world sizes: the one that holds
    /// <paramref name="step"/> on every rank wins, else the one with the newest step complete on every rank.
    /// </summary>
    /// <exception cref="InvalidOperationException">Rank folders, but no world size with every rank's folder.</exception>
    public static int? WorldSizeOf(string checkpointsRoot, long? step = null)
    {
        if (!Directory.Exists(checkpointsRoot))
        {
            return null;
        }

        var groups = Directory.EnumerateDirectories(checkpointsRoot, "rank-*")
            .Select(d => RankFolder().Match(Path.GetFileName(d)))
            .Where(m => m.Success)
            .Select(m => (Rank: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), World: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .GroupBy(r => r.World)
            .OrderBy(g => g.Key)
            .ToList();
        if (groups.Count == 0)
        {
            return null;
        }

        var candidates = new List<(int? World, IReadOnlyList<long> Steps)>();
        var incomplete = new List<string>();
        foreach (var group in groups)
        {
            int[] missing = [.. Enumerable.Range(0, group.Key).Except(group.Select(r => r.Rank))];
            if (missing.Length > 0)
            {
                incomplete.Add($"{checkpointsRoot} has no checkpoints of rank {string.Join(", ", missing)} of {group.Key}.");
                continue;
            }
            candidates.Add((group.Key, StepsOnEveryRank(checkpointsRoot, group.Key)));
        }
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(string.Join(" ", incomplete));
        }
        var single = new CheckpointStore(checkpointsRoot, int.MaxValue).CompleteSteps();
        if (single.Count > 0)
        {
            candidates.Add((null, single));
        }

        var holding = step is long wanted ? candidates.Where(c => c.Steps.Contains(wanted)).ToList() : [];
        return (holding.Count > 0 ? holding : candidates).MaxBy(c => c.Steps.DefaultIfEmpty(-1).Max()).World;
    }

    /// <summary>Steps complete in every rank's folder of a <paramref name="worldSize"/>-rank run, ascending.</summary>
    public static IReadOnlyList<long> StepsOnEveryRank(string checkpointsRoot, int worldSize) =>
        [.. Enumerable.Range(0, worldSize)
            .Select(r => (IEnumerable<long>)new CheckpointStore(Path.Combine(checkpointsRoot, RankFolderName(r, worldSize)), int.MaxValue).CompleteSteps())
            .Aggregate((a, b) => a.Intersect(b))
            .Order()];

    /// <summary>
    /// Loads step <paramref name="step"/> (default: the newest step every rank has completed) of the
    /// <paramref name="worldSize"/>-rank run under <paramref name="checkpointsRoot"/> into <paramref name="session"/>,
    /// which must hold the whole classifier. Returns rank 0's checkpoint directory.
    /// </summary>
    /// <exception cref="InvalidOperationException">No step complete on every rank, or a checkpoint of another model.</exception>
    public static string LoadInto(TrainingSession session, string checkpointsRoot, int worldSize, long? step = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (session.Shard.WorldSize != 1)
        {
            throw new ArgumentException("The session must hold the whole classifier (a single-process session).", nameof(session));
        }

        var stores = Enumerable.Range(0, worldSize)
            .Select(r => new CheckpointStore(Path.Combine(checkpointsRoot, RankFolderName(r, worldSize)), keep: int.MaxValue))
            .ToArray();
        long chosen = step ?? StepsOnEveryRank(checkpointsRoot, worldSize).DefaultIfEmpty(-1).Max();
        if (chosen < 0)
        {
            throw new InvalidOperationException($"No step under {checkpointsRoot} has a complete checkpoint on all {worldSize} ranks.");
        }

        var directories = stores
            .Select(s => s.At(chosen)?.Directory ?? throw new InvalidOperationException($"No complete checkpoint of step {chosen} under {s.Root}."))
            .ToArray();
        // Evaluation and export use neither the optimizer state nor the centre statistics (and a run whose centres lived
        // in the centre service has none in its checkpoints): read the weights only.
        return ReshardedCheckpoint.Restore(session, directories, chosen, trainingState: false);
    }

    [GeneratedRegex(@"^rank-(\d+)-of-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RankFolder();
}
