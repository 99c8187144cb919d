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
/// classifier put back in place, with the rest of the state (<see cref="ReshardedCheckpoint"/>): for evaluation, reports
/// and export.
/// </summary>
public static partial class ShardedCheckpointReader
{
    /// <summary>The folder under a run's checkpoints that holds one rank's checkpoints (written by <see cref="TrainingSession"/>).</summary>
    public static string RankFolderName(int rank, int worldSize) => string.Create(CultureInfo.InvariantCulture, $"rank-{rank}-of-{worldSize}");

    /// <summary>The world size of a checkpoints folder that holds per-rank folders, or null for a single-process run.</summary>
    /// <exception cref="InvalidOperationException">Rank folders of different world sizes, or a missing rank.</exception>
    public static int? WorldSizeOf(string checkpointsRoot)
    {
        if (!Directory.Exists(checkpointsRoot))
        {
            return null;
        }

        var ranks = Directory.EnumerateDirectories(checkpointsRoot, "rank-*")
            .Select(d => RankFolder().Match(Path.GetFileName(d)))
            .Where(m => m.Success)
            .Select(m => (Rank: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), World: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        if (ranks.Count == 0)
        {
            return null;
        }

        int[] worlds = [.. ranks.Select(r => r.World).Distinct().Order()];
        if (worlds.Length > 1)
        {
            throw new InvalidOperationException($"{checkpointsRoot} mixes runs of {string.Join(" and ", worlds)} workers; keep one world size per run directory.");
        }

        int world = worlds[0];
        int[] missing = [.. Enumerable.Range(0, world).Except(ranks.Select(r => r.Rank))];
        return missing.Length == 0
            ? world
            : throw new InvalidOperationException($"{checkpointsRoot} has no checkpoints of rank {string.Join(", ", missing)} of {world}.");
    }

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
        long chosen = step ?? stores.Select(s => (IEnumerable<long>)s.CompleteSteps()).Aggregate((a, b) => a.Intersect(b)).DefaultIfEmpty(-1).Max();
        if (chosen < 0)
        {
            throw new InvalidOperationException($"No step under {checkpointsRoot} has a complete checkpoint on all {worldSize} ranks.");
        }

        var directories = stores
            .Select(s => s.At(chosen)?.Directory ?? throw new InvalidOperationException($"No complete checkpoint of step {chosen} under {s.Root}."))
            .ToArray();
        return ReshardedCheckpoint.Restore(session, directories, chosen);
    }

    [GeneratedRegex(@"^rank-(\d+)-of-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex RankFolder();
}
