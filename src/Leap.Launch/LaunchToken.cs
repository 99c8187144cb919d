using Leap.Security;

namespace Leap.Launch;

/// <summary>
/// The shared token of a local launch. When this environment configures one (LEAP_AUTH_TOKEN, LEAP_AUTH_TOKEN_FILE or
/// the LEAP_Auth__Disabled opt-out) the children inherit it. Otherwise a fresh random token is made for this launch and
/// given to every child through LEAP_AUTH_TOKEN (never on a command line, never logged), and saved to
/// <c>&lt;output&gt;/auth-token</c>, readable by its owner only, so <c>LEAP_AUTH_TOKEN_FILE=... leap stats</c> can reach
/// the launch's centre service.
/// </summary>
public static class LaunchToken
{
    public const string FileName = "auth-token";

    /// <summary>Variables to add to every child's environment (empty when they inherit a configured token); <paramref name="savedTo"/> is the token file written, if any.</summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment(string outputDirectory, out string? savedTo)
    {
        savedTo = null;
        if (new[] { AuthEnvironment.Token, AuthEnvironment.TokenFile, AuthEnvironment.Disabled }.Any(v => Environment.GetEnvironmentVariable(v) is not null))
        {
            return new Dictionary<string, string>();
        }
        string token = SharedToken.Generate();
        Directory.CreateDirectory(outputDirectory);
        savedTo = Path.Combine(outputDirectory, FileName);
        File.Delete(savedTo); // the creation mode below applies to new files only
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(savedTo, create))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(token);
        }
        return new Dictionary<string, string> { [AuthEnvironment.Token] = token };
    }
}
