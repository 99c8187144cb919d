namespace Leap.CentreService.Persistence;

/// <summary>
/// Turns a failed disk operation of the store into the store's error: a full disk is RESOURCE_EXHAUSTED, anything else
/// UNAVAILABLE (the classification is <see cref="DiskErrorStatus.IsDiskFull"/>, shared with the gRPC layer).
/// </summary>
internal static class DiskErrors
{
    public static CentreStoreException ToStoreException(IOException e, string what) => DiskErrorStatus.IsDiskFull(e)
        ? new CentreStoreException(CentreStoreError.ResourceExhausted, $"{what} failed: the disk is full ({e.Message}). Nothing was changed; free space and retry.", e)
        : new CentreStoreException(CentreStoreError.Unavailable, $"{what} failed: {e.Message}", e);
}
