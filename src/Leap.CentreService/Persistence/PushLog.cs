using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Leap.CentreService.Persistence;

/// <summary>
/// The append-only log of applied pushes, as numbered segment files (<c>pushlog-0000000001.log</c>, ...). Appends
/// write the framed record at once (pwrite); a background flusher fsyncs and completes every append it covered
/// (group commit: one fsync acknowledges all the records written while the previous one ran). A snapshot rotates
/// to a new segment after fsyncing the old one, so the segments older than a snapshot can be deleted.
/// </summary>
internal sealed class PushLog : IDisposable
{
    public const string FilePrefix = "pushlog-";
    public const string FileSuffix = ".log";
    public static ReadOnlySpan<byte> Magic => "LEAPPLOG"u8;
    public const int FormatVersion = 1;
    public const int SegmentHeaderBytes = 12;

    /// <summary>The segment Initialise starts; without a snapshot, replay must start here.</summary>
    public const long FirstSegment = 1;

    private readonly string _directory;
    private readonly object _gate = new();
    private readonly object _flushGate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private SafeFileHandle _handle;
    private long _offset;
    private long _appended;
    private long _durable;
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;
    private bool _disposed;

    public PushLog(string directory, long segment)
    {
        _directory = directory;
        Segment = segment;
        _handle = CreateSegment(directory, segment);
        _offset = SegmentHeaderBytes;
        _flusher = Task.Run(FlushLoopAsync);
    }

    public long Segment { get; private set; }

    /// <summary>Bytes written to the current segment (the snapshot policy reads it).</summary>
    public long SegmentBytes => Interlocked.Read(ref _offset);

    public static string SegmentPath(string directory, long segment) =>
        Path.Combine(directory, $"{FilePrefix}{segment.ToString("D10", CultureInfo.InvariantCulture)}{FileSuffix}");

    /// <summary>Segment numbers present in <paramref name="directory"/>, ascending.</summary>
    public static long[] ListSegments(string directory) =>
        Directory.EnumerateFiles(directory, $"{FilePrefix}*{FileSuffix}")
            .Select(p => Path.GetFileName(p)[FilePrefix.Length..^FileSuffix.Length])
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
            .Where(n => n >= 0)
            .Order()
            .ToArray();

    /// <summary>Writes one framed record; the returned task completes once it is on disk.</summary>
    public Task Append(ReadOnlySpan<byte> record)
    {
        Task durable;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_fault is not null)
            {
                throw new CentreStoreException(CentreStoreError.Unavailable,
                    $"The push log failed earlier ({_fault.Message}); it takes no more pushes until the service restarts and recovers from its durable records.", _fault);
            }
            try
            {
                RandomAccess.Write(_handle, record, _offset);
            }
            catch (IOException e)
            {
                CutPartialWrite();
                throw DiskErrors.ToStoreException(e, $"Appending to push-log segment {SegmentPath(_directory, Segment)}");
            }
            Interlocked.Add(ref _offset, record.Length);
            _appended++;
            durable = _pending.Task;
        }
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
        return durable;
    }

    /// <summary>Makes everything appended durable, closes the segment and starts the next one; returns its number.</summary>
    public long Rotate()
    {
        lock (_flushGate)
        {
            lock (_gate)
            {
                RandomAccess.FlushToDisk(_handle);
                _durable = _appended;
                _pending.TrySetResult();
                _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var next = CreateSegment(_directory, Segment + 1);
                _handle.Dispose();
                _handle = next;
                Segment++;
                Interlocked.Exchange(ref _offset, SegmentHeaderBytes);
                return Segment;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _flusher.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        lock (_flushGate)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                FlushOnce();
                _disposed = true;
                _handle.Dispose();
            }
        }
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);
            lock (_flushGate)
            {
                FlushOnce();
            }
        }
    }

    /// <summary>Caller holds the flush gate (so the handle is not rotated away underneath the fsync).</summary>
    private void FlushOnce()
    {
        TaskCompletionSource covered;
        long target;
        SafeFileHandle handle;
        lock (_gate)
        {
            if (_appended == _durable || _disposed)
            {
                return;
            }
            covered = _pending;
            _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            target = _appended;
            handle = _handle;
        }
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        catch (IOException e)
        {
            lock (_gate)
            {
                _fault = e;
            }
            covered.TrySetException(new CentreStoreException(CentreStoreError.Unavailable, $"fsync of the push log failed: {e.Message}", e));
            return;
        }
        lock (_gate)
        {
            _durable = target;
        }
        covered.TrySetResult();
    }

    /// <summary>Drops whatever part of a failed append reached the file, so the segment ends at its last whole record.</summary>
    private void CutPartialWrite()
    {
        try
        {
            RandomAccess.SetLength(_handle, _offset);
        }
        catch (IOException)
        {
            // Recovery treats the partial record as a torn tail: it is never acknowledged.
        }
    }

    /// <summary>
    /// Creates a segment with its header on disk. On failure (a full disk) the file is removed again, so no headless
    /// segment is left behind; the caller gets the store's RESOURCE_EXHAUSTED / UNAVAILABLE error.
    /// </summary>
    private static SafeFileHandle CreateSegment(string directory, long segment)
    {
        string path = SegmentPath(directory, segment);
        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            Span<byte> header = stackalloc byte[SegmentHeaderBytes];
            Magic.CopyTo(header);
            BitConverter.TryWriteBytes(header[8..], FormatVersion);
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
            return handle;
        }
        catch (IOException e)
        {
            handle?.Dispose();
            if (handle is not null)
            {
                File.Delete(path);
            }
            throw DiskErrors.ToStoreException(e, $"Creating push-log segment {path}");
        }
    }
}
