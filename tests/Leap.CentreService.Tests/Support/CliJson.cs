using System.Text.Json;

namespace Leap.CentreService.Tests.Support;

/// <summary>Assertions on the JSON the `leap` CLI prints (NaN is written as null).</summary>
public static class CliJson
{
    public static void AssertNumber(double expected, JsonElement actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{what}: expected null (NaN), got {actual}");
            return;
        }
        Assert.True(actual.ValueKind == JsonValueKind.Number, $"{what}: expected {expected:R}, got {actual}");
        Assert.True(expected == actual.GetDouble(), $"{what}: expected {expected:R}, got {actual.GetDouble():R}");
    }

    public static void AssertClose(double expected, JsonElement actual, double tolerance, string what)
    {
        if (double.IsNaN(expected))
        {
            AssertNumber(expected, actual, what);
            return;
        }
        Assert.True(actual.ValueKind == JsonValueKind.Number, $"{what}: expected {expected:R}, got {actual}");
        TestData.AssertClose(expected, actual.GetDouble(), tolerance, what);
    }
}
