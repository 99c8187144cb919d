using Leap.Launch;

namespace Leap.Training.Tests;

/// <summary>How `leap` keeps libtorch's freed memory in the process: which environments it leaves alone, and what its children get.</summary>
public sealed class NativeHeapRetentionTests
{
    [Fact]
    public void Tunables_KeepFreedMemory_MmapThreshold256MiBTrim1GiBOneArena()
    {
        Assert.Equal("glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1", NativeHeapRetention.Tunables);
    }

    [Fact]
    public void Dockerfile_Image_SetsTheSameTunablesFromTheProcessStart()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Leap.Distributed.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        Assert.Contains($"ENV GLIBC_TUNABLES={NativeHeapRetention.Tunables}\n", File.ReadAllText(Path.Combine(root.FullName, "Dockerfile")).Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=4")]
    [InlineData("MALLOC_ARENA_MAX", "2")]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "0")]
    [InlineData("LEAP_NATIVE_HEAP", "default")]
    public void ChildEnvironment_UserTunedMallocOrAskedForDefaults_AddsNothing(string key, string value)
    {
        var inherited = new Dictionary<string, string?> { ["PATH"] = "/usr/bin", [key] = value };

        Assert.True(NativeHeapRetention.UserTuned(inherited));
        Assert.Empty(NativeHeapRetention.ChildEnvironment(inherited));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("retain")]
    public void ChildEnvironment_Untuned_GivesTheTunables(string? mode)
    {
        var inherited = new Dictionary<string, string?> { ["PATH"] = "/usr/bin", ["LEAP_NATIVE_HEAP"] = mode };

        Assert.Equal(new Dictionary<string, string> { ["GLIBC_TUNABLES"] = NativeHeapRetention.Tunables }, NativeHeapRetention.ChildEnvironment(inherited));
    }

    [Fact]
    public void Validate_UnknownMode_NamesTheVariableAndTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => NativeHeapRetention.Validate(new Dictionary<string, string?> { ["LEAP_NATIVE_HEAP"] = "jemalloc" }));

        Assert.Contains("LEAP_NATIVE_HEAP=jemalloc", e.Message, StringComparison.Ordinal);
        Assert.Contains("retain", e.Message, StringComparison.Ordinal);
        Assert.Contains("default", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeapStartInfo_ChildStartsWithTheTunablesUnlessThisProcessTunedMalloc()
    {
        var own = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);

        var info = ChildProcess.LeapStartInfo(["--help"]);

        string? expected = NativeHeapRetention.UserTuned(own) ? Environment.GetEnvironmentVariable("GLIBC_TUNABLES") : NativeHeapRetention.Tunables;
        Assert.Equal(expected, info.Environment.TryGetValue("GLIBC_TUNABLES", out string? t) ? t : null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConfigureChild_RetainOrDefault_SetsTheTunablesOrGlibcsDefaults(bool retain)
    {
        var info = new System.Diagnostics.ProcessStartInfo("python3");
        info.Environment["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=8";

        NativeHeapRetention.ConfigureChild(info, retain);

        Assert.Equal(retain ? NativeHeapRetention.Tunables : null, info.Environment.TryGetValue("GLIBC_TUNABLES", out string? t) ? t : null);
        Assert.Equal(retain ? null : "default", info.Environment.TryGetValue("LEAP_NATIVE_HEAP", out string? m) ? m : null);
    }
}
