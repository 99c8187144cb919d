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
            Leap.Security.OwnerOnlyDirectory.Create(StateDirectory);
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

    /// <summary>
    /// The recovery contract (docs/architecture.md, "Fault model"): replay the snapshot and then every segment after it,
    /// which must be numbered without gaps (a missing snapshot or segment refuses to start, naming it). A torn tail of
    /// the newest segment that holds records (a crash mid-append: never acknowledged) is cut off with a warning; any
    /// damage to acknowledged records refuses to start, naming the file and byte offset. A record seen twice is applied
    /// once. Nothing is written until every segment has been read, so a crash during recovery just recovers again.
    /// </summary>
    private void Recover(CentreLayout layout)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = StoreSnapshot.Load(StateDirectory);
        if (snapshot is not null && !snapshot.Layout.Equals(layout))
        {
            throw new InvalidDataException($"The snapshot in {StateDirectory} has a different layout: {layout.DescribeDifference(snapshot.Layout)}.");
        }
        long firstSegment = snapshot?.NextSegment ?? PushLog.FirstSegment;
        long[] segments = PushLog.ListSegments(StateDirectory);
        long[] replay = segments.Where(s => s >= firstSegment).ToArray();
        RequireContiguous(replay, firstSegment, snapshot is not null);
        var state = new StoreState(layout, _options.Partitions);
        try
        {
            if (snapshot is not null)
            {
                RestoreSnapshot(state, snapshot);
            }
            var replayed = new HashSet<long>();
            int records = 0, duplicates = 0;
            var torn = new List<(long Segment, string Path, SegmentReadResult Read)>();
            foreach (long segment in replay)
            {
                string path = PushLog.SegmentPath(StateDirectory, segment);
                var read = PushLogReader.Read(path, payload =>
                {
                    if (Replay(state, payload, replayed))
                    {
                        records++;
                    }
                    else
                    {
                        duplicates++;
                    }
                });
                if (read.End == SegmentEnd.Corrupt)
                {
                    throw new InvalidDataException(
                        $"Push-log segment {path} is corrupt at byte {read.ValidLength}: {read.Reason}. The service refuses to start rather than " +
                        "drop acknowledged pushes. Restore the state directory from a backup, or, to continue without the pushes from that " +
                        $"byte on, truncate the file to {read.ValidLength} bytes and delete the segments after it.");
                }
                if (torn.Count > 0 && read.Records > 0)
                {
                    var earlier = torn[0];
                    throw new InvalidDataException(
                        $"Push-log segment {earlier.Path} is damaged at byte {earlier.Read.ValidLength} ({earlier.Read.Reason}), but the later " +
                        $"segment {path} holds {read.Records} records, so the damaged bytes had been acknowledged. Restore the state directory from a backup.");
                }
                if (read.End is SegmentEnd.Torn or SegmentEnd.Empty)
                {
                    torn.Add((segment, path, read));
                }
            }
            // Only the newest segments can be torn or empty here. Empty ones (a crash while creating them) are deleted,
            // so that the segment this start opens follows the last one with a header, and an empty segment before
            // records can only mean damage, which the check above refuses.
            foreach (var tail in torn)
            {
                LogTornTailDropped(tail.Path, tail.Read.Reason!, tail.Read.Records, tail.Read.FileLength - tail.Read.ValidLength);
                if (tail.Read.End == SegmentEnd.Empty)
                {
                    File.Delete(tail.Path);
                }
                else
                {
                    PushLogReader.Truncate(tail.Path, tail.Read.ValidLength);
                }
            }
            var kept = replay.Except(torn.Where(t => t.Read.End == SegmentEnd.Empty).Select(t => t.Segment));
            if (duplicates > 0)
            {
                LogDuplicateRecordsSkipped(StateDirectory, duplicates);
            }
            long nextSegment = Math.Max(firstSegment, kept.DefaultIfEmpty(0).Max() + 1);
            state.AttachLog(new PushLog(StateDirectory, nextSegment));
            foreach (long old in segments.Where(s => s < firstSegment))
            {
                File.Delete(PushLog.SegmentPath(StateDirectory, old));
            }
            _version = _pushes;
            Volatile.Write(ref _state, state);
            LogRecovered(StateDirectory, snapshot?.Pushes ?? 0, records, replay.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch
        {
            state.Dispose();
            ResetCounters();
            throw;
        }
    }

    /// <summary>Replay must start at the snapshot's next segment (or segment 1 without one) and have no gaps.</summary>
    private void RequireContiguous(long[] replay, long firstSegment, bool hasSnapshot)
    {
        if (replay.Length > 0 && replay[0] != firstSegment)
        {
            throw new InvalidDataException(hasSnapshot
                ? $"Push-log segment {PushLog.SegmentPath(StateDirectory, firstSegment)} is missing: {StoreSnapshot.FileName} continues there, " +
                  $"but the log starts at segment {replay[0]}. Restore the missing segment or the state directory from a backup."
                : $"{Path.Combine(StateDirectory, StoreSnapshot.FileName)} is missing: the log starts at segment {replay[0]}, so the pushes of " +
                  $"segments {firstSegment} to {replay[0] - 1} lived only in the snapshot. Restore {StoreSnapshot.FileName} from a backup or " +
                  $"use a new {CentreServiceOptions.SectionName}:StateDirectory.");
        }
        for (int i = 1; i < replay.Length; i++)
        {
            if (replay[i] != replay[i - 1] + 1)
            {
                throw new InvalidDataException(
                    $"Push-log segment {PushLog.SegmentPath(StateDirectory, replay[i - 1] + 1)} is missing (segments {replay[i - 1]} and {replay[i]} " +
                    "are present). Restore it or the state directory from a backup.");
            }
        }
    }

    private void RestoreSnapshot(StoreState state, StoreSnapshot snapshot)
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

    private void ResetCounters()
    {
        _requests.Clear();
        lock (_recentGate)
        {
            _recent.Clear();
        }
        _sequence = _pushes = _pushesAtSnapshot = _version = 0;
        _lastStep = -1;
    }

    /// <summary>Applies one logged push unless the same record (sequence) or request id was applied already; false for a duplicate.</summary>
    private bool Replay(StoreState state, byte[] payload, HashSet<long> replayed)
    {
        var (sequence, push) = PushRecordCodec.Decode(payload);
        if (!replayed.Add(sequence) || _requests.ContainsKey(push.RequestId))
        {
            return false;
        }
        using var valid = PushValidation.Validate(push, state.Layout, int.MaxValue);
        var result = new PushResult(sequence, false, valid.Rows, valid.Labels.Distinct().Count());
        ApplyLogged(state, valid.Features, state.Group(valid), push.RequestId, push.Step, result, record: default);
        _requests[push.RequestId] = Task.FromResult(result);
        _sequence = Math.Max(_sequence, sequence);
        return true;
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
