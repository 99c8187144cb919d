
using Leap.Benchmarks.CentreLoad;

namespace Leap.Training.Tests.CentreBench;

/// <summary>`leap bench centre --service-cpus`: which CPUs the service and the clients get, and the lists refused.</summary>
public sealed class PinnedCentreLoadTests
{
    [Theory]
    [InlineData("1", 2, new[] { 1 }, new[] { 0 })]
    [InlineData("2,3", 4, new[] { 2, 3 }, new[] { 0, 1 })]
    [InlineData(" 3 , 1 ", 4, new[] { 1, 3 }, new[] { 0, 2 })]
    public void Plan_ValidList_GivesTheRestToTheClients(string text, int processors, int[] service, int[] clients)
    {
        var (s, c, problem) = PinnedCentreLoad.Plan(text, processors);

        Assert.Null(problem);
        Assert.Equal(service, s);
        Assert.Equal(clients, c);
    }

    [Theory]
    [InlineData("2", 2, "not a CPU number in [0, 1]")]
    [InlineData("x", 2, "not a CPU number")]
    [InlineData("-1", 2, "not a CPU number")]
    [InlineData("0,1", 2, "must leave at least one")]
    [InlineData("", 2, "must leave at least one")]
    public void Plan_BadList_IsRefusedNamingTheOption(string text, int processors, string expected)
    {
        var (_, _, problem) = PinnedCentreLoad.Plan(text, processors);

        Assert.NotNull(problem);
        Assert.Contains("--service-cpus", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
