using Leap.Collectives;
using Leap.Training.Engine;

namespace Leap.Training.Tests;

/// <summary>What an equivalence test compares of a finished run: per-step losses and cloud samples, backbone, classifier rows.</summary>
internal sealed record RunResult(int Rank, double[] Losses, int[] CloudSamples, float[][] Backbone, float[] Classifier)
{
    public static RunResult Of(int rank, TrainingSession session, LossRecorder recorder) => new(
        rank,
        recorder.Losses.ToArray(),
        recorder.CloudSamples.ToArray(),
        session.Network.parameters().Select(p => p.detach().cpu().contiguous().data<float>().ToArray()).ToArray(),
        session.Classifier.Weight.detach().cpu().contiguous().data<float>().ToArray());
}

/// <summary>Runs N in-process ranks and asserts that a distributed run equals the single-process one.</summary>
internal static class EquivalentRuns
{
    /// <summary>Runs <paramref name="body"/> once per rank of an in-process group, each on its own thread, within 3 minutes.</summary>
    public static T[] OnRanks<T>(int worldSize, Func<ICollectives, int, T> body)
    {
        var group = InProcessCollectives.Create(worldSize);
        var tasks = group.Select((collectives, rank) => Task.Factory.StartNew(() => body(collectives, rank), TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromMinutes(3)), $"{worldSize} ranks did not finish within 3 minutes");
        foreach (var c in group)
        {
            c.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }

        return tasks.Select(t => t.Result).ToArray();
    }

    /// <summary>Every rank's losses and backbone, and the shards' classifier rows in rank order, equal the single run's within <paramref name="relative"/>.</summary>
    public static void AssertEqual(RunResult single, IReadOnlyList<RunResult> ranks, double relative) =>
        AssertEqual(single, ranks, relative, (expected, actual, what) => AssertClose(expected, actual, relative, what));

    /// <summary>
    /// For Adam: every rank's losses within <paramref name="lossRelative"/>, and each backbone tensor and the classifier
    /// rows gathered from the shards within <paramref name="normRelative"/> in relative Frobenius norm
    /// (|expected − actual| / |expected|). Adam divides every element's gradient by that element's own running RMS, so an
    /// element whose gradient is round-off sized in one run and zero in the other (a ReLU unit left alive or dead by a
    /// last bit of a sum taken in another order, or a weight-decay term cancelling the loss gradient) takes a step of
    /// about the learning rate in one run and none in the other. The largest single-element difference then measures
    /// the learning rate, not the runs' agreement; the tensor's norm does not.
    /// </summary>
    public static void AssertEqualInNorm(RunResult single, IReadOnlyList<RunResult> ranks, double lossRelative, double normRelative) =>
        AssertEqual(single, ranks, lossRelative, (expected, actual, what) => AssertCloseInNorm(expected, actual, normRelative, what));

    /// <summary>Losses within <paramref name="lossRelative"/>; every backbone tensor and the gathered classifier rows by <paramref name="assertTensor"/>.</summary>
    private static void AssertEqual(RunResult single, IReadOnlyList<RunResult> ranks, double lossRelative, Action<float[], float[], string> assertTensor)
    {
        foreach (var rank in ranks)
        {
            for (int s = 0; s < single.Losses.Length; s++)
            {
                AssertClose(single.Losses[s], rank.Losses[s], lossRelative, $"loss of step {s + 1} on rank {rank.Rank}");
            }
        }

        foreach (var (expected, actual, what) in TensorPairs(single, ranks))
        {
            assertTensor(expected, actual, what);
        }
    }

    /// <summary>The largest relative Frobenius-norm difference over the backbone tensors and the gathered classifier rows.</summary>
    public static double LargestRelativeNormDifference(RunResult single, IReadOnlyList<RunResult> ranks) =>
        TensorPairs(single, ranks).Max(pair => RelativeNormDifference(pair.Expected, pair.Actual));

    /// <summary>The single run's tensors beside the ranks': every rank's backbone parameters, then the classifier rows gathered from the shards in rank order.</summary>
    private static IEnumerable<(float[] Expected, float[] Actual, string What)> TensorPairs(RunResult single, IReadOnlyList<RunResult> ranks)
    {
        foreach (var rank in ranks)
        {
            for (int p = 0; p < single.Backbone.Length; p++)
            {
                yield return (single.Backbone[p], rank.Backbone[p], $"backbone parameter {p} on rank {rank.Rank}");
            }
        }

        yield return (single.Classifier, ranks.SelectMany(r => r.Classifier).ToArray(), "classifier rows gathered from the shards");
    }

    /// <summary>|expected − actual| / |expected| in the Frobenius norm.</summary>
    private static double RelativeNormDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = (double)expected[i] - actual[i];
            difference += d * d;
            norm += (double)expected[i] * expected[i];
        }
        return Math.Sqrt(difference / Math.Max(norm, 1e-30));
    }

    private static void AssertCloseInNorm(float[] expected, float[] actual, double relative, string what)
    {
        double difference = RelativeNormDifference(expected, actual);
        Assert.True(difference <= relative, $"{what}: relative norm difference {difference:E2} exceeds {relative:E0}");
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-6),
            $"{what}: expected {expected}, got {actual}");

    private static void AssertClose(float[] expected, float[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= relative * scale, $"{what}: max |difference| {worst} exceeds {relative} x max |value| {scale}");
    }
}
