using Grpc.Core;

namespace Leap.CentreService;

/// <summary>
/// The gRPC status of a disk error of the state directory: a full disk (or quota) is RESOURCE_EXHAUSTED, any other
/// I/O or permission failure is UNAVAILABLE; both say the state directory failed, never UNKNOWN.
/// </summary>
internal static class DiskErrorStatus
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The disk error inside <paramref name="e"/> (itself or an inner exception), or null.</summary>
    public static Exception? Find(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is IOException or UnauthorizedAccessException)
            {
                return x;
            }
        }
        return null;
    }

    public static bool IsDiskFull(Exception e) =>
        e is IOException && (e.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull
            || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase));

    public static Status For(Exception diskError) => IsDiskFull(diskError)
        ? new Status(StatusCode.ResourceExhausted, $"the centre service's state disk is full ({diskError.Message}); nothing was acknowledged, retry once space is freed.")
        : new Status(StatusCode.Unavailable, $"the centre service's state directory failed ({diskError.GetType().Name}: {diskError.Message}); retry later or restart the service.");
}
