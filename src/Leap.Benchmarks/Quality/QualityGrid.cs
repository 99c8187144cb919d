namespace Leap.Benchmarks.Quality;

/// <summary>
/// The cells a benchmark invocation asks for, in run order: the protocols' splits interleaved (first LFW split,
/// first CUHK03 split, second LFW split, ...), and within a split seed by seed, every method per seed, so each
/// completed seed gives a full comparison.
/// </summary>
public sealed record QualityGrid(IReadOnlyList<QualitySplit> Splits, IReadOnlyList<QualityMethod> Methods, IReadOnlyList<long> Seeds)
{
    public static QualityGrid Interleave(IReadOnlyList<IReadOnlyList<QualitySplit>> splitsPerProtocol, IReadOnlyList<QualityMethod> methods, IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(splitsPerProtocol);
        var order = new List<QualitySplit>();
        int longest = splitsPerProtocol.Count == 0 ? 0 : splitsPerProtocol.Max(s => s.Count);
        for (int i = 0; i < longest; i++)
        {
            order.AddRange(splitsPerProtocol.Where(s => i < s.Count).Select(s => s[i]));
        }

        return new QualityGrid(order, methods, seeds);
    }

    public IEnumerable<QualityCell> CellsOf(QualitySplit split) =>
        Seeds.SelectMany(seed => Methods.Select(m => new QualityCell(split.Name, m.Name, seed)));

    public IEnumerable<QualityCell> Cells => Splits.SelectMany(CellsOf);
}
