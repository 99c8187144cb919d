using Leap.Launch;

namespace Leap.Training.Tests;

/// <summary>How `leap launch` shares the cores among its workers' torch intra-op threads.</summary>
public sealed class WorkerThreadsTests
{
    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(8, 3, 2)]
    [InlineData(1, 4, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(7, 1, 7)]
    public void PerWorker_ThreadsUnset_SplitsTheCoresOverTheWorkersAtLeastOneEach(int cores, int workers, int expected)
    {
        Assert.Equal(expected, WorkerThreads.PerWorker(configured: 0, cores, workers));
    }

    [Theory]
    [InlineData(3, 2, 2)]
    [InlineData(1, 16, 2)]
    [InlineData(8, 1, 4)]
    public void PerWorker_ThreadsSetByTheUser_KeepsTheUsersCount(int configured, int cores, int workers)
    {
        Assert.Equal(configured, WorkerThreads.PerWorker(configured, cores, workers));
    }

    [Theory]
    [InlineData(-1, 2, 2)]
    [InlineData(0, 0, 2)]
    [InlineData(0, 2, 0)]
    public void PerWorker_OutOfRangeArgument_Throws(int configured, int cores, int workers)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerThreads.PerWorker(configured, cores, workers));
    }

    [Theory]
    [InlineData(1, 2, 2, false)]
    [InlineData(2, 4, 8, false)]
    [InlineData(2, 2, 2, true)]
    [InlineData(1, 4, 2, true)]
    public void Oversubscribes_ThreadsTimesWorkersAgainstCores_TrueOnlyAboveTheCores(int threads, int workers, int cores, bool expected)
    {
        Assert.Equal(expected, WorkerThreads.Oversubscribes(threads, workers, cores));
    }

    [Fact]
    public void ChildEnvironment_ThreeThreads_SetsOpenMpAndMklToThree()
    {
        var environment = WorkerThreads.ChildEnvironment(3);

        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "3", ["MKL_NUM_THREADS"] = "3" }, environment);
    }
}
