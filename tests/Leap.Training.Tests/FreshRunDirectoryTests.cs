
using Leap.Runs;

namespace Leap.Training.Tests;

public sealed class FreshRunDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-fresh-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 7, 45, 0, TimeSpan.Zero);

    [Fact]
    public void MoveAside_PreviousRun_MovesItsStateAndKeepsTheRest()
    {
        Directory.CreateDirectory(Path.Combine(_root, "checkpoints", "step-000000200"));
        Directory.CreateDirectory(Path.Combine(_root, "coordinator"));
        File.WriteAllText(Path.Combine(_root, "metrics.jsonl"), "{}\n");
        File.WriteAllText(Path.Combine(_root, "auth-token"), "secret");

        string? previous = FreshRunDirectory.MoveAside(_root, Now);

        Assert.Equal(Path.Combine(_root, "previous-20261204-074500"), previous);
        Assert.True(Directory.Exists(Path.Combine(previous!, "checkpoints", "step-000000200")));
        Assert.True(Directory.Exists(Path.Combine(previous!, "coordinator")));
        Assert.True(File.Exists(Path.Combine(previous!, "metrics.jsonl")));
        Assert.False(Directory.Exists(Path.Combine(_root, "checkpoints")));
        Assert.False(File.Exists(Path.Combine(_root, "metrics.jsonl")));
        Assert.True(File.Exists(Path.Combine(_root, "auth-token")));
    }

    [Fact]
    public void MoveAside_NoPreviousRun_MovesNothing()
    {
        Directory.CreateDirectory(_root);

        Assert.Null(FreshRunDirectory.MoveAside(_root, Now));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void MoveAside_TwiceInOneSecond_SecondGetsItsOwnFolder()
    {
        Directory.CreateDirectory(Path.Combine(_root, "checkpoints"));
        string first = FreshRunDirectory.MoveAside(_root, Now)!;
        Directory.CreateDirectory(Path.Combine(_root, "checkpoints"));

        string second = FreshRunDirectory.MoveAside(_root, Now)!;

        Assert.NotEqual(first, second);
        Assert.True(Directory.Exists(Path.Combine(second, "checkpoints")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
