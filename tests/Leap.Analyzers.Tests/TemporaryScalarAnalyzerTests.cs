namespace Leap.Analyzers.Tests;

/// <summary>What the analyzer refuses and what it lets through, on snippets compiled against TorchSharp.</summary>
public sealed class TemporaryScalarAnalyzerTests
{
    [Theory]
    [InlineData("var c = a.mul(0.5);", "LEAP0001: 0.5")]
    [InlineData("var c = a.clamp(0.0, x);", "LEAP0001: 0.0|LEAP0001: x")]
    [InlineData("var c = a.add_(b, x.ToScalar());", "LEAP0002: x.ToScalar()")]
    [InlineData("var c = a + b;", "LEAP0003: a + b")]
    [InlineData("var c = a * 0.5;", "LEAP0003: a * 0.5")]
    [InlineData("var c = a.add(b);", "LEAP0003: a.add(b)")]
    [InlineData("a += b;", "LEAP0003: a += b")]
    public async Task Flags_TemporaryScalars(string body, string expected) =>
        Assert.Equal(expected.Split('|'), await AnalyzerHarness.Diagnose(body));

    [Theory]
    [InlineData("using var half = 0.5.ToScalar();\nvar c = a.mul(half);")]
    [InlineData("using var one = 1.ToScalar();\nvar c = a.add(b, one);")]
    [InlineData("var c = a * b - b;")]
    [InlineData("var c = a.sum(1).mean();")]
    public async Task Allows_HeldScalarsAndScalarFreeCalls(string body) =>
        Assert.Empty(await AnalyzerHarness.Diagnose(body));
}
