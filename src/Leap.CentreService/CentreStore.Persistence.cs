using System.Diagnostics;
using Leap.CentreService.Persistence;

namespace Leap.CentreService;

public sealed partial class CentreStore
{
    private readonly object _snapshotGate = new();

    /// <summary>
    /// Recovers the state directory: the layout, the snapshot, then every log segment after it in order. A torn last
    /// record of the newest segment (a crash mid-write; that push was never acknowledged) is dropped with a warning
    /// and cut off; a bad record anywhere else is corruption and fails the start. Without any stored layout, the
    /// layout of the options (if set) initialises the store. A stored layout different from the options' fails.
    /// </summary>
    public void Open()
    {
        lock (_lifecycle)
        {
            if (_state is not null)
            {
                return;
            }
            Directory.CreateDirectory(StateDirectory);
            foreach (string leftover in Directory.EnumerateFiles(StateDirectory, "*.tmp"))
            {
                File.Delete(leftover);
            }
            var configured = _options.Layout();
            var stored = StoreSnapshot.LoadLayout(StateDirectory);
            if (stored is null)
            {
                if (configured is not null)
                {
                    Initialise(configured);
                }
                return;
            }
            if (configured is not null && !configured.Equals(stored))
            {
                throw new InvalidOperationException(
                    $"{CentreServiceOptions.SectionName}:SamplesPerClass/Dimension/settings do not match the layout stored in {StateDirectory}: " +
                    $"{stored.DescribeDifference(configured)}. Use another {CentreServiceOptions.SectionName}:StateDirectory or the stored layout.");
            }
            Recover(stored);
        }
    }

    public Task SnapshotAsync(CancellationToken cancellationToken = default) => Task.Run(Snapshot, cancellationToken);

    private void Recover(CentreLayout layout)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = StoreSnapshot.Load(StateDirectory);
        if (snapshot is not null && !snapshot.Layout.Equals(layout))
        {
            throw new InvalidDataException($"The snapshot in {StateDirectory} has a different layout: {layout.DescribeDifference(snapshot.Layout)}.");
        }
        long firstSegment = snapshot?.NextSegment ?? 0;
        long[] segments = PushLog.ListSegments(StateDirectory);
        foreach (long old in segments.Where(s => s < firstSegment))
        {
            File.Delete(PushLog.SegmentPath(StateDirectory, old));
        }
        long[] replay = segments.Where(s => s >= firstSegment).ToArray();
        long nextSegment = Math.Max(firstSegment, replay.DefaultIfEmpty(0).Max() + 1);
        var state = new StoreState(layout, _options.Partitions, new PushLog(StateDirectory, nextSegment));
        if (snapshot is not null)
        {
            foreach (var p in state.Partitions)
            {
                p.Restore(snapshot.Centres, snapshot.Initialised, snapshot.Angles);
            }
            _sequence = snapshot.Sequence;
            _pushes = _pushesAtSnapshot = snapshot.Pushes;
            _lastStep = snapshot.LastStep;
            foreach (var applied in snapshot.Recent)
            {
                _requests[applied.RequestId] = Task.FromResult(applied.Result);
                Remember(applied);
            }
        }
        int records = 0;
        for (int i = 0; i < replay.Length; i++)
        {
            string path = PushLog.SegmentPath(StateDirectory, replay[i]);
            var read = PushLogReader.Read(path, payload => Replay(state, payload));
            records += read.Records;
            if (read.TornReason is null)
            {
                continue;
            }
            if (i != replay.Length - 1)
            {
                throw new InvalidDataException($"Push-log segment {path} is corrupt ({read.TornReason}) but is not the newest segment.");
            }
            LogTornTailDropped(path, read.TornReason, read.Records, read.FileLength - read.ValidLength);
            PushLogReader.Truncate(path, read.ValidLength);
        }
        _version = _pushes;
        Volatile.Write(ref _state, state);
        LogRecovered(StateDirectory, snapshot?.Pushes ?? 0, records, replay.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void Replay(StoreState state, byte[] payload)
    {
        var (sequence, push) = PushRecordCodec.Decode(payload);
        var valid = PushValidation.Validate(push, state.Layout, int.MaxValue);
        var result = new PushResult(sequence, false, valid.Rows, valid.Labels.Distinct().Count());
        ApplyLogged(state, state.Group(valid), push.RequestId, push.Step, result, record: null);
        _requests[push.RequestId] = Task.FromResult(result);
        _sequence = Math.Max(_sequence, sequence);
    }

    private void Snapshot()
    {
        lock (_snapshotGate)
        {
            var state = RequireState();
            var started = Stopwatch.GetTimestamp();
            var layout = state.Layout;
            var centres = new double[(long)layout.ClassCount * layout.Dimension];
            var initialised = new bool[layout.ClassCount];
            var angles = new double[layout.ClassCount][];
            long nextSegment, sequence, pushes, lastStep;
            AppliedPush[] recent;
            int entered = 0;
            try
            {
                for (; entered < state.Partitions.Length; entered++)
                {
                    Monitor.Enter(state.Partitions[entered].Gate);
                }
                nextSegment = state.Log.Rotate();
                Volatile.Write(ref _logFull, NewSignal());
                foreach (var p in state.Partitions)
                {
                    p.CopyTo(centres, initialised, angles);
                }
                (sequence, pushes, lastStep) = (Interlocked.Read(ref _sequence), Pushes, Interlocked.Read(ref _lastStep));
                lock (_recentGate)
                {
                    recent = _recent.ToArray();
                }
            }
            finally
            {
                for (int i = entered - 1; i >= 0; i--)
                {
                    Monitor.Exit(state.Partitions[i].Gate);
                }
            }
            new StoreSnapshot(layout, nextSegment, sequence, pushes, lastStep, centres, initialised, angles, recent).Save(StateDirectory);
            foreach (long old in PushLog.ListSegments(StateDirectory).Where(s => s < nextSegment))
            {
                File.Delete(PushLog.SegmentPath(StateDirectory, old));
            }
            Interlocked.Exchange(ref _pushesAtSnapshot, pushes);
            LogSnapshotWritten(Path.Combine(StateDirectory, StoreSnapshot.FileName), pushes, nextSegment, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
