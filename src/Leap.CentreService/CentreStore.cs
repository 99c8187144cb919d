using System.Buffers;
using System.Collections.Concurrent;
using Leap.CentreService.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.CentreService;

/// <summary>
/// The <see cref="ICentreStore"/>: classes split into contiguous ranges (<see cref="CentrePartition"/>, one lock each),
/// so pushes of workers that own different classes run in parallel. A push locks the partitions it touches in
/// ascending order, appends its record to the <see cref="PushLog"/>, applies its rows, unlocks, and is acknowledged
/// once the record is fsynced. Log order therefore equals application order for every partition, which is what
/// replay after a crash needs. Call <see cref="Open"/> once before use (the hosted service does).
/// </summary>
public sealed partial class CentreStore : ICentreStore, IDisposable
{
    private readonly CentreServiceOptions _options;
    private readonly ILogger<CentreStore> _logger;
    private readonly object _lifecycle = new();
    private readonly object _recentGate = new();
    private readonly ConcurrentDictionary<string, Task<PushResult>> _requests = new(StringComparer.Ordinal);
    private readonly Queue<AppliedPush> _recent = new();
    private StoreState? _state;
    private long _sequence;
    private long _pushes;
    private long _lastStep = -1;
    private long _version;
    private long _pushesAtSnapshot;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _logFull = NewSignal();

    public CentreStore(IOptions<CentreServiceOptions> options, ILogger<CentreStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        StateDirectory = Path.GetFullPath(_options.StateDirectory);
    }

    public string StateDirectory { get; }
    public CentreLayout? Layout => Volatile.Read(ref _state)?.Layout;
    public long Version => Interlocked.Read(ref _version);
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>Pushes applied since the last snapshot (the snapshot policy skips idle periods).</summary>
    public long PushesSinceSnapshot => Pushes - Interlocked.Read(ref _pushesAtSnapshot);

    /// <summary>Completes when the current log segment has grown past the configured snapshot threshold.</summary>
    internal Task LogFull => Volatile.Read(ref _logFull).Task;

    public InitialiseResult Initialise(CentreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var problems = layout.Problems();
        if (problems.Count > 0)
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument, string.Join(" ", problems));
        }
        if (layout.StateBytes > _options.MaxStateBytes)
        {
            throw new CentreStoreException(CentreStoreError.InvalidArgument,
                $"The layout needs {layout.StateBytes:0} bytes of state ({layout.ClassCount} classes, D = {layout.Dimension}, memory multiplier " +
                $"{layout.Settings.MemoryMultiplier}), more than {CentreServiceOptions.SectionName}:MaxStateBytes = {_options.MaxStateBytes}.");
        }
        lock (_lifecycle)
        {
            if (_state is { } held)
            {
                return held.Layout.Equals(layout)
                    ? new InitialiseResult(false, held.Layout)
                    : throw new CentreStoreException(CentreStoreError.FailedPrecondition,
                        $"The service is already initialised with a different layout: {held.Layout.DescribeDifference(layout)}.");
            }
            Volatile.Write(ref _state, CreateState(layout));
            LogInitialised(layout.ClassCount, layout.Dimension, layout.Settings.ToString(), StateDirectory);
            return new InitialiseResult(true, layout);
        }
    }

    /// <summary>
    /// Allocates the state and opens segment 1 before layout.bin is written, so a layout that cannot be held (memory,
    /// disk) leaves nothing on disk and a restart does not crash-loop on it. Without a stored layout any segment in
    /// the directory is an orphan of an earlier failed Initialise and is removed first.
    /// </summary>
    private StoreState CreateState(CentreLayout layout)
    {
        StoreState? state = null;
        try
        {
            Leap.Security.OwnerOnlyDirectory.Create(StateDirectory);
            foreach (long orphan in PushLog.ListSegments(StateDirectory))
            {
                File.Delete(PushLog.SegmentPath(StateDirectory, orphan));
            }
            state = new StoreState(layout, _options.Partitions);
            state.AttachLog(new PushLog(StateDirectory, PushLog.FirstSegment));
            StoreSnapshot.SaveLayout(StateDirectory, layout);
            return state;
        }
        catch (Exception e) when (e is OutOfMemoryException or IOException or CentreStoreException)
        {
            state?.Dispose();
            File.Delete(PushLog.SegmentPath(StateDirectory, PushLog.FirstSegment));
            throw e switch
            {
                OutOfMemoryException => new CentreStoreException(CentreStoreError.ResourceExhausted,
                    $"The layout's state ({layout.StateBytes:0} bytes) could not be allocated: {e.Message} Nothing was stored.", e),
                IOException io => DiskErrors.ToStoreException(io, $"Initialising the state directory {StateDirectory}"),
                _ => e,
            };
        }
    }

    public async Task<PushResult> PushAsync(CentrePush push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        var state = RequireState();
        cancellationToken.ThrowIfCancellationRequested();
        if (push.RequestId is not null && _requests.TryGetValue(push.RequestId, out var earlier))
        {
            return await RepeatAsync(earlier).ConfigureAwait(false);
        }
        using var valid = PushValidation.Validate(push, state.Layout, _options.MaxPushRows);
        var completion = new TaskCompletionSource<PushResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.TryAdd(push.RequestId!, completion.Task))
        {
            return await RepeatAsync(_requests[push.RequestId!]).ConfigureAwait(false);
        }
        try
        {
            var groups = state.Group(valid);
            long sequence = Interlocked.Increment(ref _sequence);
            var result = new PushResult(sequence, false, valid.Rows, valid.Labels.Distinct().Count());
            Task durable;
            // The log copies the record synchronously, so its buffer goes back to the pool as soon as the push is applied.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(PushRecordCodec.MaxEncodedLength(push));
            try
            {
                int length = PushRecordCodec.Encode(sequence, push, buffer);
                durable = ApplyLogged(state, valid.Features, groups, push.RequestId!, push.Step, result, buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            Signal(ref _changed);
            if (state.Log.SegmentBytes > _options.SnapshotLogBytes)
            {
                Volatile.Read(ref _logFull).TrySetResult();
            }
            await durable.ConfigureAwait(false);
            completion.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            _requests.TryRemove(push.RequestId!, out _);
            completion.SetException(e);
            _ = completion.Task.Exception;
            throw;
        }
    }

    public Task WaitForChangeAsync(long sinceVersion, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref _changed).Task;
        return Version > sinceVersion ? Task.CompletedTask : WaitAsync(changed, sinceVersion, cancellationToken);
    }

    public void Dispose()
    {
        lock (_lifecycle)
        {
            _state?.Dispose();
            _state = null;
        }
    }

    private async Task WaitAsync(Task changed, long sinceVersion, CancellationToken cancellationToken)
    {
        while (Version <= sinceVersion)
        {
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            changed = Volatile.Read(ref _changed).Task;
        }
    }

    /// <summary>Locks the touched partitions (ascending), logs, applies, remembers the request id; returns the fsync task.</summary>
    private Task ApplyLogged(StoreState state, TorchSharp.torch.Tensor features, IReadOnlyList<PartitionBatch> groups, string requestId, long step, PushResult result,
        ReadOnlySpan<byte> record)
    {
        int entered = 0;
        try
        {
            for (; entered < groups.Count; entered++)
            {
                Monitor.Enter(state.Partitions[groups[entered].Partition].Gate);
            }
            Task durable = record.IsEmpty ? Task.CompletedTask : state.Log.Append(record);
            foreach (var g in groups)
            {
                state.Partitions[g.Partition].Apply(features, g.Rows, g.LocalLabels, step);
            }
            Remember(new AppliedPush(requestId, result));
            Interlocked.Increment(ref _pushes);
            InterlockedMax(ref _lastStep, step);
            Interlocked.Increment(ref _version);
            return durable;
        }
        finally
        {
            for (int i = entered - 1; i >= 0; i--)
            {
                Monitor.Exit(state.Partitions[groups[i].Partition].Gate);
            }
        }
    }

    private void Remember(AppliedPush applied)
    {
        lock (_recentGate)
        {
            _recent.Enqueue(applied);
            while (_recent.Count > _options.DedupeWindow)
            {
                _requests.TryRemove(_recent.Dequeue().RequestId, out _);
            }
        }
    }

    private static async Task<PushResult> RepeatAsync(Task<PushResult> earlier) =>
        (await earlier.ConfigureAwait(false)) with { Duplicate = true };

    private StoreState RequireState() => Volatile.Read(ref _state) ?? throw new CentreStoreException(
        CentreStoreError.FailedPrecondition,
        $"The centre service is not initialised: call Initialise or set {CentreServiceOptions.SectionName}:SamplesPerClass and :Dimension.");

    private static void InterlockedMax(ref long target, long value)
    {
        long current = Interlocked.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Signal(ref TaskCompletionSource signal) => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();
}
