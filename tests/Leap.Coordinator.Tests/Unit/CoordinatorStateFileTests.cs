namespace Leap.Coordinator.Tests.Unit;

public sealed class CoordinatorStateFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-coord-state-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Save_NewStateDirectory_CreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes only
        }
        string directory = Path.Combine(_root, "state", "coordinator");
        var file = new CoordinatorStateFile(directory, "job-1");

        file.Save(new PersistedJobState(3, null));

        const UnixFileMode all = (UnixFileMode)0b111_111_111;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory) & all);
        Assert.Equal(3, file.Load().LastGeneration);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
