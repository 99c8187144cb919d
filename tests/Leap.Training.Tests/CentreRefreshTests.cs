using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The refresh cadence and lag of <see cref="CentreRefresh"/> over the in-process tracker.</summary>
public sealed class CentreRefreshTests
{
    private static readonly int[] Samples = [8, 8, 8, 8, 3, 3, 3, 3, 3, 3];
    private const int Dimension = 6;
    private const int Interval = 2;
    private const int Steps = 12;

    [Fact]
    public void Observe_Lag1_UsesTheStatisticsOfTheIntervalBeforeLast()
    {
        var lag0 = Run(lag: 0);
        var lag1 = Run(lag: 1);

        for (int step = 0; step < Steps; step++)
        {
            // Lag 0 uses the refresh at the end of the last interval; lag 1 the one an interval earlier (none before it).
            double[] expected = step < Interval ? Unseen() : lag0[step - Interval];
            Assert.Equal(expected, lag1[step]);
        }
        // Not vacuous: the lags differ once refreshes happen, and the statistics change from interval to interval.
        Assert.NotEqual(lag0[Interval + 1], lag1[Interval + 1]);
        Assert.NotEqual(lag0[Interval + 1], lag0[(2 * Interval) + 1]);
    }

    [Fact]
    public void Settle_Lag1_KeepsTheRefreshInFlightAsReadyWithoutUsingIt()
    {
        using var tracker = new CentreTracker(Settings(), Samples, Dimension);
        using var refresh = new CentreRefresh(new TrackerCentreSink(tracker), Interval, 1, tracker.Statistics);
        refresh.Start();
        var batches = Batches();
        for (int step = 0; step < 2 * Interval; step++)
        {
            Observe(refresh, batches[step], step);
        }
        double[] inUse = Variances(refresh.Statistics);

        refresh.Settle();

        Assert.Equal(inUse, Variances(refresh.Statistics));
        Assert.NotNull(refresh.Ready);
        Assert.Equal(Variances(tracker.Statistics), Variances(refresh.Ready!));
        Assert.NotEqual(inUse, Variances(refresh.Ready!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Validate_RefreshLagNotZeroOrOne_NamesTheKeyAndTheAllowedValues(int lag)
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Leap = { RefreshLag = lag } });

        Assert.Contains(errors, e => e.StartsWith("Training:Leap:RefreshLag", StringComparison.Ordinal) && e.Contains("0", StringComparison.Ordinal) && e.Contains("1", StringComparison.Ordinal));
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Leap = { RefreshLag = 1 } }));
    }

    /// <summary>sigma_i^2 in use after each step.</summary>
    private static List<double[]> Run(int lag)
    {
        using var tracker = new CentreTracker(Settings(), Samples, Dimension);
        using var refresh = new CentreRefresh(new TrackerCentreSink(tracker), Interval, lag, tracker.Statistics);
        refresh.Start();
        var seen = new List<double[]>();
        var batches = Batches();
        for (int step = 0; step < Steps; step++)
        {
            Observe(refresh, batches[step], step);
            seen.Add(Variances(refresh.Statistics));
        }
        return seen;
    }

    private static CentreTrackerSettings Settings() =>
        new(LeapVariant.Full, HeadThreshold: 4, CentreLearningRate: 0.3, RefreshInterval: Interval, MemoryMultiplier: 2);

    private static (float[] Features, long[] Labels)[] Batches()
    {
        var random = new Random(5);
        return Enumerable.Range(0, Steps).Select(_ =>
        {
            long[] labels = Enumerable.Range(0, 12).Select(_ => (long)random.Next(Samples.Length)).ToArray();
            float[] features = Enumerable.Range(0, labels.Length * Dimension).Select(i => (float)(random.NextDouble() - 0.5 + (labels[i / Dimension] == i % Dimension ? 2 : 0))).ToArray();
            return (features, labels);
        }).ToArray();
    }

    private static void Observe(CentreRefresh refresh, (float[] Features, long[] Labels) batch, long step)
    {
        using var embeddings = tensor(batch.Features, [batch.Labels.Length, Dimension]);
        using var labels = tensor(batch.Labels);
        refresh.Observe(embeddings, labels, step, skipped: false);
    }

    private static double[] Variances(CloudStatistics statistics) => Enumerable.Range(0, statistics.ClassCount).Select(statistics.ClassVariance).ToArray();

    private static double[] Unseen() => Enumerable.Repeat(double.NaN, Samples.Length).ToArray();
}
