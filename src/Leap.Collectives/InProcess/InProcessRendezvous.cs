namespace Leap.Collectives.InProcess;

/// <summary>
/// The meeting point of one collective (one sequence number): every rank deposits its call; the last to arrive runs
/// the whole collective for everybody on its own thread, then releases all ranks. One thread computing every
/// result, in rank order, is what makes results bit-identical and independent of timing.
/// </summary>
internal sealed class InProcessRendezvous
{
    private readonly InProcessCall?[] _calls;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public InProcessRendezvous(long sequence, int worldSize)
    {
        Sequence = sequence;
        _calls = new InProcessCall?[worldSize];
    }

    public long Sequence { get; }

    public Task Completion => _done.Task;

    /// <summary>Deposits <paramref name="call"/>; returns true for the last rank to arrive, which must then <see cref="Run"/>.</summary>
    public bool Arrive(int rank, InProcessCall call)
    {
        lock (_calls)
        {
            _calls[rank] = call;
            _arrived++;
            return _arrived == _calls.Length;
        }
    }

    /// <summary>Ranks that have not called this collective yet (for timeout messages).</summary>
    public IReadOnlyList<int> Missing()
    {
        lock (_calls)
        {
            return Enumerable.Range(0, _calls.Length).Where(r => _calls[r] is null).ToList();
        }
    }

    public void Run(Action<IReadOnlyList<InProcessCall>> collective)
    {
        try
        {
            var calls = _calls.Select(c => c!).ToList();
            var signatures = calls.Select(c => c.Signature).Distinct().ToList();
            if (signatures.Count != 1)
            {
                var byRank = string.Join("; ", calls.Select((c, r) => $"rank {r}: {c.Signature}"));
                throw new CollectiveMismatchException($"Collective #{Sequence} was called differently on different ranks: {byRank}.");
            }

            collective(calls);
            _done.TrySetResult();
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
        }
    }

    public void Fail(Exception error) => _done.TrySetException(error);
}
