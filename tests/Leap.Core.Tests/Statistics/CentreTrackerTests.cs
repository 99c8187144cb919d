using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Statistics;

public class CentreTrackerTests
{
    private const int Dimension = 3;
    private const int BatchSize = 4;
    private const double Gamma = 0.1;
    private static readonly int[] Samples = [4, 6, 3];

    [Fact]
    public void Observe_RefreshIntervalFive_FalseForSteps0To3AndTrueAtStep4()
    {
        using var scope = NewDisposeScope();
        var (features, labels) = MakeBatches(10, seed: 1);
        using var tracker = new CentreTracker(Settings(LeapVariant.Full), Samples, Dimension);
        var initial = tracker.Statistics;

        for (int step = 0; step < 4; step++)
        {
            Assert.False(tracker.Observe(ToTensor(features[step]), tensor(labels[step]), step));
            Assert.Equal(step + 1, tracker.PendingSteps);
            Assert.Same(initial, tracker.Statistics);
            Assert.All(Enumerable.Range(0, Samples.Length), c => Assert.Equal(0, tracker.Memory.Count(c)));
            Assert.Equal(0.0, tracker.Centres.Values.abs().sum().item<double>());
        }

        Assert.True(tracker.Observe(ToTensor(features[4]), tensor(labels[4]), 4));
        Assert.Equal(0, tracker.PendingSteps);
        Assert.NotSame(initial, tracker.Statistics);
        Assert.Equal(BatchSize * 5, Enumerable.Range(0, Samples.Length).Sum(tracker.Memory.Count));

        var afterFirst = tracker.Statistics;
        for (int step = 5; step < 9; step++)
        {
            Assert.False(tracker.Observe(ToTensor(features[step]), tensor(labels[step]), step));
            Assert.Same(afterFirst, tracker.Statistics);
        }
        Assert.True(tracker.Observe(ToTensor(features[9]), tensor(labels[9]), 9));
    }

    [Theory]
    [InlineData(CentreUpdateRule.CentreLoss)]
    [InlineData(CentreUpdateRule.PaperEquation4)]
    public void Observe_TwoRefreshes_AnglesAreAcosToRefreshedNormalisedCentre(CentreUpdateRule rule)
    {
        using var scope = NewDisposeScope();
        var (features, labels) = MakeBatches(10, seed: 2);
        using var tracker = new CentreTracker(Settings(LeapVariant.Full) with { UpdateRule = rule }, Samples, Dimension);

        for (int step = 0; step < 10; step++)
        {
            tracker.Observe(ToTensor(features[step]), tensor(labels[step]), step);
        }

        var expected = ReferenceAngles(features, labels, rule);
        for (int c = 0; c < Samples.Length; c++)
        {
            double[] kept = expected[c].TakeLast(Samples[c] * 2).ToArray();
            double[] actual = tracker.Memory.Angles(c);
            Assert.Equal(kept.Length, actual.Length);
            for (int i = 0; i < kept.Length; i++)
            {
                Assert.Equal(kept[i], actual[i], 1e-10);
            }
            double mean = kept.Average();
            Assert.Equal(kept.Select(a => (a - mean) * (a - mean)).Average(), tracker.Memory.Variance(c), 1e-10);
        }
    }

    [Theory]
    [InlineData(LeapVariant.Full)]
    [InlineData(LeapVariant.Vanilla)]
    public void AlphaStd_AfterRefresh_MatchesCloudStatisticsPerLabel(LeapVariant variant)
    {
        using var scope = NewDisposeScope();
        var (features, labels) = MakeBatches(5, seed: 3);
        using var tracker = new CentreTracker(Settings(variant), Samples, Dimension);
        for (int step = 0; step < 5; step++)
        {
            tracker.Observe(ToTensor(features[step]), tensor(labels[step]), step);
        }

        var expected = ReferenceAngles(features, labels, CentreUpdateRule.CentreLoss);
        double[] variances = expected.Select((a, c) =>
        {
            var kept = a.TakeLast(Samples[c] * 2).ToArray();
            double m = kept.Average();
            return kept.Select(x => (x - m) * (x - m)).Average();
        }).ToArray();
        var reference = new CloudStatistics(variant, 4, Samples, variances);
        long[] query = [2, 0, 1, 2, 1];

        double[] std = tracker.AlphaStd(tensor(query)).data<double>().ToArray();

        Assert.Equal(query.Length, std.Length);
        for (int i = 0; i < query.Length; i++)
        {
            Assert.Equal(reference.AlphaStd((int)query[i]), std[i], 1e-10);
        }
        // the data is built so that some class has a cloud and some does not
        Assert.Contains(std, s => s > 0);
        Assert.Contains(std, s => s == 0);
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Observe_RowWhoseNormOverflowsOrIsNotFinite_ThrowsNamingRowAndBuffersNothing(double value)
    {
        using var scope = NewDisposeScope();
        using var tracker = new CentreTracker(Settings(LeapVariant.Full), Samples, Dimension);
        var features = ones(3, Dimension, ScalarType.Float64);
        features[1, 0] = tensor(value);

        var error = Assert.Throws<ArgumentException>(() => tracker.Observe(features, tensor(new long[] { 0, 1, 2 }), 4));

        Assert.Contains("features row 1 is not finite or has an L2 norm too large to normalise", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, tracker.PendingSteps);
    }

    [Fact]
    public void Observe_UnknownLabel_ThrowsAndBuffersNothing()
    {
        using var scope = NewDisposeScope();
        using var tracker = new CentreTracker(Settings(LeapVariant.Full), Samples, Dimension);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            tracker.Observe(ones(2, Dimension, ScalarType.Float64), tensor(new long[] { 0, 3 }), 4));

        Assert.Equal(0, tracker.PendingSteps);
    }

    [Fact]
    public void Refresh_StatisticsEqualAFreshSnapshotOfTheMemory_AndTheHeldSnapshotSurvivesOneRefresh()
    {
        using var scope = NewDisposeScope();
        var (features, labels) = MakeBatches(3, seed: 4);
        using var tracker = new CentreTracker(Settings(LeapVariant.Full) with { RefreshInterval = 1 }, Samples, Dimension);

        tracker.Observe(ToTensor(features[0]), tensor(labels[0]), 0);
        var first = tracker.Statistics;
        double[] firstVariances = [.. Enumerable.Range(0, Samples.Length).Select(first.ClassVariance)];
        tracker.Observe(ToTensor(features[1]), tensor(labels[1]), 1);
        var second = tracker.Statistics;

        Assert.NotSame(first, second);
        Assert.Equal(firstVariances, Enumerable.Range(0, Samples.Length).Select(first.ClassVariance));
        var expected = CloudStatistics.FromMemory(LeapVariant.Full, second.HeadThreshold, tracker.Memory);
        Assert.Equal(expected.OverallVariance, second.OverallVariance);
        Assert.All(Enumerable.Range(0, Samples.Length), c =>
        {
            Assert.Equal(expected.ClassVariance(c), second.ClassVariance(c));
            Assert.Equal(expected.AlphaStd(c), second.AlphaStd(c));
            Assert.Equal(Samples[c], second.SamplesInClass(c));
        });
        Assert.NotEqual(firstVariances, Enumerable.Range(0, Samples.Length).Select(second.ClassVariance));
    }

    private static CentreTrackerSettings Settings(LeapVariant variant) =>
        new(variant, HeadThreshold: 4, CentreLearningRate: Gamma, UpdateRule: CentreUpdateRule.CentreLoss, RefreshInterval: 5, MemoryMultiplier: 2);

    /// <summary>
    /// Batches of unnormalised features around per-class directions: class 0 tight, class 1 wide, class 2 medium.
    /// Class 1 (K = 6 > T = 4) is the only head class.
    /// </summary>
    private static (double[][][] Features, long[][] Labels) MakeBatches(int steps, int seed)
    {
        var random = new Random(seed);
        double[][] directions = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
        double[] spread = [0.05, 0.8, 0.3];
        var features = new double[steps][][];
        var labels = new long[steps][];
        for (int s = 0; s < steps; s++)
        {
            features[s] = new double[BatchSize][];
            labels[s] = new long[BatchSize];
            for (int i = 0; i < BatchSize; i++)
            {
                int c = (s + i) % 3;
                double scale = 0.5 + (3 * random.NextDouble());
                labels[s][i] = c;
                features[s][i] = directions[c].Select(d => scale * (d + (spread[c] * ((2 * random.NextDouble()) - 1)))).ToArray();
            }
        }
        return (features, labels);
    }

    /// <summary>Independent re-computation: per refresh window, Eq. 4 on normalised features, then acos to the normalised centre.</summary>
    private static double[][] ReferenceAngles(double[][][] features, long[][] labels, CentreUpdateRule rule)
    {
        var centres = new double[Samples.Length][];
        var angles = Enumerable.Range(0, Samples.Length).Select(_ => new List<double>()).ToArray();
        for (int start = 0; start < features.Length; start += 5)
        {
            var rows = new List<(int Label, double[] Unit)>();
            for (int s = start; s < start + 5; s++)
            {
                for (int i = 0; i < features[s].Length; i++)
                {
                    rows.Add(((int)labels[s][i], Normalise(features[s][i])));
                }
            }
            for (int c = 0; c < Samples.Length; c++)
            {
                var mine = rows.Where(r => r.Label == c).Select(r => r.Unit).ToArray();
                if (mine.Length == 0)
                {
                    continue;
                }
                double[] mean = Enumerable.Range(0, Dimension).Select(d => mine.Average(u => u[d])).ToArray();
                double w = rule == CentreUpdateRule.CentreLoss ? Gamma : 1 - Gamma;
                centres[c] = centres[c] is null
                    ? mean
                    : Enumerable.Range(0, Dimension).Select(d => ((1 - w) * centres[c][d]) + (w * mean[d])).ToArray();
            }
            foreach (var (label, unit) in rows)
            {
                double[] centre = Normalise(centres[label]);
                double cosine = Math.Clamp(unit.Zip(centre, (a, b) => a * b).Sum(), -1, 1);
                angles[label].Add(Math.Acos(cosine));
            }
        }
        return angles.Select(a => a.ToArray()).ToArray();
    }

    private static double[] Normalise(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static Tensor ToTensor(double[][] rows) =>
        tensor(rows.SelectMany(r => r).ToArray(), ScalarType.Float64).reshape(rows.Length, Dimension);
}
