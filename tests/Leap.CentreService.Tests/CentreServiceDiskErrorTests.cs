using Grpc.Core;
using Leap.CentreService.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leap.CentreService.Tests;

/// <summary>Disk failures of the state directory reach clients as RESOURCE_EXHAUSTED (full, retry once space is freed) or UNAVAILABLE (restart or retry later), never UNKNOWN.</summary>
public sealed class CentreServiceDiskErrorTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    public static TheoryData<string, StatusCode, string> DiskErrors => new()
    {
        { "enospc", StatusCode.ResourceExhausted, "state disk is full" },
        { "enospc-message", StatusCode.ResourceExhausted, "state disk is full" },
        { "edquot", StatusCode.ResourceExhausted, "state disk is full" },
        { "eio", StatusCode.Unavailable, "state directory failed (IOException: Input/output error)" },
        { "eacces", StatusCode.Unavailable, "state directory failed (UnauthorizedAccessException" },
        // A failed fsync leaves the log refusing until a restart: freeing space alone does not help, so not RESOURCE_EXHAUSTED.
        { "fsync-enospc", StatusCode.Unavailable, "fsync of the push log failed" },
        { "log-failed-earlier", StatusCode.Unavailable, "takes no more pushes until the service restarts" },
        { "fsync-eio", StatusCode.Unavailable, "fsync of the push log failed" },
    };

    [Theory]
    [MemberData(nameof(DiskErrors))]
    public async Task Push_StateDirectoryFails_StatusSaysDiskNotUnknown(string kind, StatusCode expected, string detail)
    {
        using var dir = new TempDirectory();
        var store = new DiskFailingStore(Error(kind));
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout(), services: s => s.AddSingleton<ICentreStore>(store));
        var batch = TestData.Batches(seed: 2, count: 1, rows: 4, 16, 0, 30)[0];

        var push = await Assert.ThrowsAsync<RpcException>(() => host.Client.Raw.PushAsync(batch.ToRequest(0)).ResponseAsync.WaitAsync(Timeout));
        var initialise = await Assert.ThrowsAsync<RpcException>(() => host.Client.Raw.InitialiseAsync(TestData.SmallLayout().ToRequest()).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(expected, push.StatusCode);
        Assert.Contains(detail, push.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(expected, initialise.StatusCode);
        Assert.DoesNotContain(host.Log.Entries, e => e.Level >= LogLevel.Error && e.Message.Contains("Error when executing service method", StringComparison.Ordinal));
    }

    private static Exception Error(string kind) => kind switch
    {
        "enospc" => new IOException("write failed", 28),
        "enospc-message" => new IOException("No space left on device : '/state/log-0000001.bin'"),
        "edquot" => new IOException("write failed", 122),
        "eio" => new IOException("Input/output error", 5),
        "eacces" => new UnauthorizedAccessException("Access to the path '/state/layout.bin' is denied."),
        "fsync-enospc" => new CentreStoreException(CentreStoreError.Unavailable, "fsync of the push log failed: write failed", new IOException("write failed", 28)),
        "log-failed-earlier" => new CentreStoreException(CentreStoreError.Unavailable,
            "The push log failed earlier (write failed); it takes no more pushes until the service restarts and recovers from its durable records.", new IOException("write failed", 28)),
        "fsync-eio" => new CentreStoreException(CentreStoreError.Unavailable, "fsync of the push log failed: Input/output error", new IOException("Input/output error", 5)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown disk error kind"),
    };
}
