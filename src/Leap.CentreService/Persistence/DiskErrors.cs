namespace Leap.CentreService.Persistence;

/// <summary>Turns a failed disk operation into the store's error: a full disk is RESOURCE_EXHAUSTED, anything else UNAVAILABLE.</summary>
internal static class DiskErrors
{
    private const int EnospcErrno = 28;
    private const int WindowsDiskFull = 0x70;
    private const int WindowsHandleDiskFull = 0x27;

    public static bool IsDiskFull(IOException e) =>
        e.HResult == EnospcErrno || (e.HResult & 0xFFFF) is WindowsDiskFull or WindowsHandleDiskFull;

    public static CentreStoreException ToStoreException(IOException e, string what) => IsDiskFull(e)
        ? new CentreStoreException(CentreStoreError.ResourceExhausted, $"{what} failed: the disk is full ({e.Message}). Nothing was changed; free space and retry.", e)
        : new CentreStoreException(CentreStoreError.Unavailable, $"{what} failed: {e.Message}", e);
}
