using System.Globalization;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// How much training the grid's missing cells still need. Protocols train at different paces (an LFW cell at 112x112
/// takes longer than a Market cell at 128x64), so each protocol's missing cells are priced at the median of that
/// protocol's newest finished cells; a protocol with no finished cell yet takes the grid's newest cells' pace.
/// </summary>
public static class RemainingTrainingEstimate
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>How many of the newest cells a pace is taken from.</summary>
    public const int RecentCells = 3;

    /// <summary>One protocol's missing cells and the pace they are priced at.</summary>
    /// <param name="FromCells">How many finished cells of this protocol the pace is the median of; 0 when it is the grid's overall pace.</param>
    public sealed record ProtocolShare(string Protocol, int Missing, double SecondsPerCell, int FromCells)
    {
        public double Seconds => Missing * SecondsPerCell;
    }

    /// <summary>The missing cells per protocol (in the grid's split order), each with its pace; empty when nothing is missing or nothing finished.</summary>
    public static IReadOnlyList<ProtocolShare> Estimate(IEnumerable<QualityCell> missing, IReadOnlyList<QualityCellResult> found)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(found);
        if (found.Count == 0)
        {
            return [];
        }

        double overall = NewestMedian(found);
        var shares = new List<ProtocolShare>();
        foreach (var group in missing.GroupBy(c => QualityReportWriter.ProtocolOf(c.Split)))
        {
            var own = found.Where(r => QualityReportWriter.ProtocolOf(r.Split) == group.Key).ToList();
            shares.Add(own.Count == 0
                ? new ProtocolShare(group.Key, group.Count(), overall, 0)
                : new ProtocolShare(group.Key, group.Count(), NewestMedian(own), Math.Min(RecentCells, own.Count)));
        }

        return shares;
    }

    /// <summary>"so the 24 missing cells need about 7.0 h of training more (lfw: 21 at 17.5 min, the median of its newest 3 cells; market: 3 at 15.0 min, ...)".</summary>
    public static string Describe(IReadOnlyList<ProtocolShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            return "so no missing cell needs training";
        }

        int missing = shares.Sum(s => s.Missing);
        double hours = shares.Sum(s => s.Seconds) / 3600;
        string parts = string.Join("; ", shares.Select(s => string.Create(Invariant, $"{s.Protocol}: {s.Missing} at {s.SecondsPerCell / 60:F1} min, {PaceSource(s.FromCells)}")));
        string cells = missing == 1 ? "missing cell needs" : $"{missing} missing cells need";
        return string.Create(Invariant, $"so the {cells} about {hours:F1} h of training more ({parts})");
    }

    private static string PaceSource(int fromCells) => fromCells switch
    {
        0 => "the grid's newest cells' pace (none of its own finished yet)",
        1 => "the median of its newest cell",
        _ => $"the median of its newest {fromCells} cells",
    };

    private static double NewestMedian(IEnumerable<QualityCellResult> results) =>
        Job.SteadyStateThroughput.Median(results.OrderByDescending(r => r.Finished).Take(RecentCells).Select(r => r.TrainSeconds).ToArray());
}
