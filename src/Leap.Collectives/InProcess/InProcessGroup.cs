namespace Leap.Collectives.InProcess;

/// <summary>
/// The state the ranks of one <see cref="InProcessCollectives.Create"/> share: one rendezvous per collective
/// sequence number. A failure (mismatch, timeout, a rank leaving) fails the whole group, as a dead peer would.
/// </summary>
internal sealed class InProcessGroup
{
    private readonly Dictionary<long, InProcessRendezvous> _open = [];
    private Exception? _fault;

    public InProcessGroup(int worldSize, TimeSpan timeout)
    {
        WorldSize = worldSize;
        Timeout = timeout;
    }

    public int WorldSize { get; }

    public TimeSpan Timeout { get; }

    public async Task RunAsync(int rank, long sequence, InProcessCall call, Action<IReadOnlyList<InProcessCall>> collective, CancellationToken cancellation)
    {
        InProcessRendezvous rendezvous;
        lock (_open)
        {
            if (_fault is not null)
            {
                throw new InvalidOperationException($"The in-process group failed earlier: {_fault.Message}", _fault);
            }

            if (!_open.TryGetValue(sequence, out rendezvous!))
            {
                rendezvous = new InProcessRendezvous(sequence, WorldSize);
                _open.Add(sequence, rendezvous);
            }
        }

        if (rendezvous.Arrive(rank, call))
        {
            lock (_open)
            {
                _open.Remove(sequence);
            }

            rendezvous.Run(collective);
        }

        try
        {
            await rendezvous.Completion.WaitAsync(Timeout, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var error = new TimeoutException(
                $"Rank {rank} waited {Timeout.TotalSeconds:0.###} s in collective #{sequence} {call.Signature}; " +
                $"ranks [{string.Join(", ", rendezvous.Missing())}] never called it.");
            Fail(error);
            throw error;
        }
        catch (OperationCanceledException e) when (cancellation.IsCancellationRequested)
        {
            Fail(new OperationCanceledException($"Rank {rank} cancelled collective #{sequence} {call.Signature}.", e, cancellation));
            throw;
        }
        catch (CollectiveMismatchException e)
        {
            Fail(e);
            throw;
        }
    }

    public void Fail(Exception error)
    {
        List<InProcessRendezvous> open;
        lock (_open)
        {
            _fault ??= error;
            open = [.. _open.Values];
            _open.Clear();
        }

        foreach (var rendezvous in open)
        {
            rendezvous.Fail(error);
        }
    }
}
