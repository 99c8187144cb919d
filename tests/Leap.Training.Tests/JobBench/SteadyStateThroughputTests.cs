
using Leap.Benchmarks.Job;

namespace Leap.Training.Tests.JobBench;

/// <summary>The steady-state images/s `leap bench job` reads from a run's metrics.jsonl (JobBench/Fixture/metrics.jsonl).</summary>
public sealed class SteadyStateThroughputTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "JobBench", "Fixture");

    [Fact]
    public void Median_FixtureAfterThreeWarmupSteps_IsTheMedianOfTheLaterFiniteRecords()
    {
        // Steps 4..9 without step 7 (null): 400, 100, 300, 200, 500; the validation record and the warm-up are ignored.
        Assert.Equal(300, SteadyStateThroughput.Median(Fixture, warmupSteps: 3));
    }

    [Fact]
    public void Median_EvenCountOfRecords_AveragesTheMiddleTwo()
    {
        // Steps 5..9 without step 7: 100, 300, 200, 500.
        Assert.Equal(250, SteadyStateThroughput.Median(Fixture, warmupSteps: 4));
    }

    [Fact]
    public void Median_NoRecordAfterWarmup_ThrowsNamingTheFile()
    {
        var error = Assert.Throws<InvalidDataException>(() => SteadyStateThroughput.Median(Fixture, warmupSteps: 9));

        Assert.Contains(Path.Combine(Fixture, "metrics.jsonl"), error.Message, StringComparison.Ordinal);
        Assert.Contains("no train record after step 9", error.Message, StringComparison.Ordinal);
    }
}
