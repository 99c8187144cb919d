using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.CentreService;

/// <summary>
/// Opens (recovers) the store when the host starts, then writes a snapshot every <c>SnapshotInterval</c> or as soon
/// as the log segment passes <c>SnapshotLogBytes</c> (skipped when nothing was pushed), and once more on stop.
/// </summary>
internal sealed partial class CentreStoreLifetime(
    CentreStore store, IOptions<CentreServiceOptions> options, TimeProvider time, ILogger<CentreStoreLifetime> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        store.Open();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (options.Value.SnapshotOnStop && store.Layout is not null && store.PushesSinceSnapshot > 0)
        {
            await store.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.WhenAny(Task.Delay(options.Value.SnapshotInterval, time, stoppingToken), store.LogFull).ConfigureAwait(false);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                if (store.Layout is not null && store.PushesSinceSnapshot > 0)
                {
                    await store.SnapshotAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CentreStoreException)
            {
                LogSnapshotFailed(e);
            }
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "Writing a centre-store snapshot failed; the log keeps growing until one succeeds")]
    private partial void LogSnapshotFailed(Exception exception);
}
