namespace Leap.Security;

/// <summary>
/// Creates the directories that hold job state (checkpoints, the coordinator's and the centre service's state) with
/// access for their owner only: 0700 on Unix, for the directory and any parent it creates. An existing directory keeps
/// its mode.
/// </summary>
public static class OwnerOnlyDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static DirectoryInfo Create(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, Mode);
}
