using Leap.CentreService.Client;
using Leap.Contracts.V1;
using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.CentreService.Tests.Support;

/// <summary>One generated batch: features [N, D] and labels [N], as arrays.</summary>
public sealed record Batch(int Rows, int Dimension, double[] Features, long[] Labels)
{
    public PushRequest ToRequest(long step, bool float32 = false, string? requestId = null) => new()
    {
        RequestId = requestId ?? Guid.NewGuid().ToString("N"),
        Step = step,
        Features = float32
            ? TensorBytesCodec.Float32(Features.Select(v => (float)v).ToArray(), Rows, Dimension)
            : TensorBytesCodec.Float64(Features, Rows, Dimension),
        Labels = TensorBytesCodec.Int64(Labels),
    };

    public CentrePush ToPush(long step, string? requestId = null) => ToRequest(step, requestId: requestId).ToPush();

    /// <summary>Feeds the batch to an in-process tracker exactly as the service receives it.</summary>
    public void FeedTo(CentreTracker tracker, long step, bool float32 = false)
    {
        using var scope = NewDisposeScope();
        var f = float32 ? tensor(Features.Select(v => (float)v).ToArray(), [Rows, Dimension]) : tensor(Features, [Rows, Dimension]);
        tracker.Observe(f, tensor(Labels), step);
    }
}

public static class TestData
{
    /// <summary>10 head classes (K = 8) and 20 tail classes (K = 3); T = 4, so memories wrap quickly.</summary>
    public static CentreLayout SmallLayout(LeapVariant variant = LeapVariant.Vanilla, int dimension = 16, CentreUpdateRule rule = CentreUpdateRule.CentreLoss) =>
        new(Enumerable.Repeat(8, 10).Concat(Enumerable.Repeat(3, 20)).ToArray(), dimension,
            new CentreTrackerSettings(variant, HeadThreshold: 4, CentreLearningRate: 0.3, UpdateRule: rule, MemoryMultiplier: 2));

    /// <summary>Batches with features clustered around a random direction per class (so variances differ by class).</summary>
    public static Batch[] Batches(int seed, int count, int rows, int dimension, int classStart, int classEnd)
    {
        var random = new Random(seed);
        var direction = new double[classEnd][];
        for (int c = classStart; c < classEnd; c++)
        {
            direction[c] = Enumerable.Range(0, dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
        }
        return Enumerable.Range(0, count).Select(_ =>
        {
            var labels = Enumerable.Range(0, rows).Select(_ => (long)random.Next(classStart, classEnd)).ToArray();
            var features = new double[rows * dimension];
            for (int i = 0; i < rows; i++)
            {
                double spread = 0.05 + (0.5 * (labels[i] % 5) / 5.0);
                for (int j = 0; j < dimension; j++)
                {
                    features[(i * dimension) + j] = direction[labels[i]][j] + (spread * (random.NextDouble() - 0.5));
                }
            }
            return new Batch(rows, dimension, features, labels);
        }).ToArray();
    }

    public static CentreTracker Tracker(CentreLayout layout) => new(layout.Settings with { RefreshInterval = 1 }, layout.SamplesPerClass, layout.Dimension);

    /// <summary>Asserts that the service's statistics and centres equal the tracker's within <paramref name="tolerance"/>.</summary>
    public static void AssertEqual(CentreTracker tracker, CloudStatisticsView stats, CentresView centres, double tolerance = 1e-12)
    {
        var expected = tracker.Statistics;
        AssertClose(expected.OverallVariance, stats.OverallVariance, tolerance, "overall sigma^2");
        for (int c = 0; c < tracker.ClassCount; c++)
        {
            AssertClose(expected.ClassVariance(c), stats.ClassVariance[c], tolerance, $"sigma_{c}^2");
            AssertClose(expected.AlphaStd(c), stats.AlphaStd[c], tolerance, $"alpha std of class {c}");
            Assert.Equal(tracker.Memory.Count(c), stats.AngleCount[c]);
            Assert.Equal(tracker.Centres.IsInitialised(c), centres.Initialised[c]);
        }
        double[] expectedCentres = tracker.Centres.Values.data<double>().ToArray();
        Assert.Equal(expectedCentres.Length, centres.Values.Length);
        for (int i = 0; i < expectedCentres.Length; i++)
        {
            AssertClose(expectedCentres[i], centres.Values[i], tolerance, $"centre element {i}");
        }
    }

    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected}, got {actual}");
            return;
        }
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance})");
    }
}
