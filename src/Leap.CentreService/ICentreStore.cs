namespace Leap.CentreService;

/// <summary>
/// The state behind the centre service: centres, angle memory and cloud statistics of all classes, partitioned by
/// class range, durable through a push log and snapshots. Every method is thread-safe. Refusals throw
/// <see cref="CentreStoreException"/>; a refused request changes nothing.
/// </summary>
public interface ICentreStore
{
    /// <summary>The held layout, or null before initialisation.</summary>
    CentreLayout? Layout { get; }

    /// <summary>Increases with every applied push.</summary>
    long Version { get; }

    /// <summary>Creates the store for <paramref name="layout"/>; a no-op (Created = false) for the identical layout.</summary>
    InitialiseResult Initialise(CentreLayout layout);

    /// <summary>
    /// Applies one push as one refresh (Eq. 4, then Eq. 3); completes once its log record is on disk. A push whose
    /// request id was applied before is not applied again: the first reply is returned with Duplicate = true.
    /// </summary>
    Task<PushResult> PushAsync(CentrePush push, CancellationToken cancellationToken = default);

    /// <summary>sigma_i^2, alpha std and counts of <paramref name="classIds"/> (all when empty) and sigma^2.</summary>
    CloudStatisticsView GetCloudStatistics(IReadOnlyList<int> classIds);

    ClassStatisticsReport GetClassStatistics(IReadOnlyList<int> classIds);

    CentreSummary GetSummary(SummaryOptions options);

    CentresView GetCentres(IReadOnlyList<int> classIds);

    /// <summary>Completes once <see cref="Version"/> exceeds <paramref name="sinceVersion"/>.</summary>
    Task WaitForChangeAsync(long sinceVersion, CancellationToken cancellationToken);

    /// <summary>Writes a snapshot now and drops the log segments it covers.</summary>
    Task SnapshotAsync(CancellationToken cancellationToken = default);
}

/// <summary>A dense tensor as received: shape, dtype ("float32" | "float64" | "int64") and little-endian bytes.</summary>
public sealed record RawTensor(long[] Shape, string DType, ReadOnlyMemory<byte> Data);

/// <summary>One push: features [N, D] (float32/float64) and labels [N] (int64) of step <see cref="Step"/>.</summary>
public sealed record CentrePush(string RequestId, long Step, RawTensor Features, RawTensor Labels);

public sealed record PushResult(long Sequence, bool Duplicate, int Rows, int ClassesUpdated);

public sealed record InitialiseResult(bool Created, CentreLayout Layout);

public sealed record CloudStatisticsView(
    int[] ClassIds, double[] ClassVariance, double[] AlphaStd, int[] AngleCount, int[] SamplesPerClass,
    double OverallVariance, long Pushes, long LastStep, int CloudClassCount);

public sealed record ClassStatisticsView(
    int ClassId, int Samples, bool Head, int AngleCount, int AngleCapacity, double MeanAngle, double Variance,
    bool Cloud, double AlphaStd, bool CentreInitialised);

public sealed record ClassStatisticsReport(IReadOnlyList<ClassStatisticsView> Classes, double OverallVariance);

/// <summary>Histogram of sigma_i^2: <paramref name="Bins"/> bins (0 = service default) over [Min, Max] (null = data range).</summary>
/// <summary>Histogram of a summary: <see cref="Bins"/> 0 = the service default, else 1 to <see cref="MaxBins"/>; Min/Max finite when given.</summary>
public sealed record SummaryOptions(int Bins = 0, double? Min = null, double? Max = null)
{
    public const int MaxBins = CentreServiceOptionsValidator.MaxHistogramBins;
}

/// <summary>Mean, min and max of sigma_i^2 over the seen classes of a group (NaN when none is seen).</summary>
public sealed record VarianceSummary(int Seen, double Mean, double Min, double Max);

public sealed record CentreSummary(
    CentreLayout? Layout, int HeadClasses, int TailClasses, int CloudClasses, double OverallVariance,
    VarianceSummary Head, VarianceSummary Tail, double[] HistogramEdges, long[] HistogramCounts,
    long Pushes, long LastStep, long Version);

/// <summary>Centres [n, D] row-major (float64) of the requested classes, and whether each has been set.</summary>
public sealed record CentresView(int[] ClassIds, int Dimension, double[] Values, bool[] Initialised);
