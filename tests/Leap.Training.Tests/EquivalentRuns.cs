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
    public static void AssertEqual(RunResult single, IReadOnlyList<RunResult> ranks, double relative)
    {
        foreach (var rank in ranks)
        {
            for (int s = 0; s < single.Losses.Length; s++)
            {
                AssertClose(single.Losses[s], rank.Losses[s], relative, $"loss of step {s + 1} on rank {rank.Rank}");
            }

            for (int p = 0; p < single.Backbone.Length; p++)
            {
                AssertClose(single.Backbone[p], rank.Backbone[p], relative, $"backbone parameter {p} on rank {rank.Rank}");
            }
        }

        AssertClose(single.Classifier, ranks.SelectMany(r => r.Classifier).ToArray(), relative, "classifier rows gathered from the shards");
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
