namespace Leap.Data;

/// <summary>
/// The items skipped under <see cref="CorruptDataPolicy.Skip"/>, in the order they were skipped, each with the reason.
/// Safe to add to from several threads (data loaders decode in parallel).
/// </summary>
public sealed class SkippedItems<TId>
{
    private readonly object _gate = new();
    private readonly List<(TId Id, string Reason)> _items = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>A snapshot of the skipped ids.</summary>
    public IReadOnlyList<TId> Ids
    {
        get
        {
            lock (_gate)
            {
                return _items.Select(i => i.Id).ToArray();
            }
        }
    }

    /// <summary>A snapshot of the skipped ids with the reason each was skipped.</summary>
    public IReadOnlyList<(TId Id, string Reason)> Entries
    {
        get
        {
            lock (_gate)
            {
                return _items.ToArray();
            }
        }
    }

    internal void Add(TId id, string reason)
    {
        lock (_gate)
        {
            _items.Add((id, reason));
        }
    }
}
