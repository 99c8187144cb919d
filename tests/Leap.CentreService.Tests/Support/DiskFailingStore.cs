namespace Leap.CentreService.Tests.Support;

/// <summary>A store whose state directory fails: Initialise and Push throw <see cref="Error"/> as the real store's disk writes would.</summary>
public sealed class DiskFailingStore(Exception error) : ICentreStore
{
    public Exception Error { get; } = error;
    public CentreLayout? Layout => null;
    public long Version => 0;

    public InitialiseResult Initialise(CentreLayout layout) => throw Error;

    public Task<PushResult> PushAsync(CentrePush push, CancellationToken cancellationToken = default) => Task.FromException<PushResult>(Error);

    public CloudStatisticsView GetCloudStatistics(IReadOnlyList<int> classIds) => throw new NotSupportedException();

    public ClassStatisticsReport GetClassStatistics(IReadOnlyList<int> classIds) => throw new NotSupportedException();

    public CentreSummary GetSummary(SummaryOptions options) => throw new NotSupportedException();

    public CentresView GetCentres(IReadOnlyList<int> classIds) => throw new NotSupportedException();

    public Task WaitForChangeAsync(long sinceVersion, CancellationToken cancellationToken) => Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);

    public Task SnapshotAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
