using Leap.CentreService.Persistence;

namespace Leap.CentreService;

/// <summary>
/// The rows of one push that fall in one partition (indices into the push's features, in order; null when the partition
/// takes every row of the push), with class ids relative to the partition's start.
/// </summary>
internal sealed record PartitionBatch(int Partition, long[]? Rows, long[] LocalLabels);

/// <summary>
/// An initialised store: the layout, the balanced class-range partitions (the first C mod P partitions hold one
/// class more) and the open push log.
/// </summary>
internal sealed class StoreState : IDisposable
{
    private readonly int _base;
    private readonly int _extra;

    private PushLog? _log;

    /// <summary>Allocates every partition; the log is attached once recovery has settled the segments (<see cref="AttachLog"/>).</summary>
    public StoreState(CentreLayout layout, int partitions)
    {
        Layout = layout;
        int count = Math.Min(partitions, layout.ClassCount);
        _base = layout.ClassCount / count;
        _extra = layout.ClassCount % count;
        Partitions = new CentrePartition[count];
        for (int p = 0; p < count; p++)
        {
            int start = (_base * p) + Math.Min(p, _extra);
            int size = _base + (p < _extra ? 1 : 0);
            Partitions[p] = new CentrePartition(start, start + size, layout);
        }
    }

    public CentreLayout Layout { get; }
    public CentrePartition[] Partitions { get; }
    public PushLog Log => _log ?? throw new InvalidOperationException("The push log is not attached yet.");

    public void AttachLog(PushLog log) => _log = log;

    public int PartitionOf(int classId)
    {
        int big = (_base + 1) * _extra;
        return classId < big ? classId / (_base + 1) : _extra + ((classId - big) / _base);
    }

    /// <summary>Splits a push by partition, keeping the rows' order inside each partition; partitions ascending.</summary>
    public IReadOnlyList<PartitionBatch> Group(ValidatedPush push)
    {
        var rowsOf = new SortedDictionary<int, List<long>>();
        for (int i = 0; i < push.Rows; i++)
        {
            int p = PartitionOf((int)push.Labels[i]);
            if (!rowsOf.TryGetValue(p, out var rows))
            {
                rowsOf[p] = rows = [];
            }
            rows.Add(i);
        }
        var batches = new List<PartitionBatch>(rowsOf.Count);
        foreach (var (p, rows) in rowsOf)
        {
            var labels = new long[rows.Count];
            int start = Partitions[p].Start;
            for (int j = 0; j < rows.Count; j++)
            {
                labels[j] = push.Labels[rows[j]] - start;
            }
            batches.Add(new PartitionBatch(p, rowsOf.Count == 1 ? null : [.. rows], labels));
        }
        return batches;
    }

    public void Dispose()
    {
        _log?.Dispose();
        foreach (var p in Partitions)
        {
            p.Dispose();
        }
    }
}
