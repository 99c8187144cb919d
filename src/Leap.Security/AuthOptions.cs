namespace Leap.Security;

/// <summary>
/// Where a process gets the job's shared token. Section <see cref="SectionName"/>; <see cref="AuthEnvironment"/> maps
/// <c>LEAP_AUTH_TOKEN</c> / <c>LEAP_AUTH_TOKEN_FILE</c> onto <see cref="Token"/> / <see cref="TokenFile"/>.
/// <see cref="AuthOptionsValidator"/> checks them at start-up, naming the key.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The token itself (from <c>LEAP_AUTH_TOKEN</c>; never pass it with <c>--set</c>, which shows on the command line).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token (a mounted Kubernetes Secret); surrounding whitespace and newlines are ignored.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Explicit opt-out: serve every caller without a token. Hosts refuse to start without a token unless this is true.
    /// </summary>
    public bool Disabled { get; set; }

    /// <summary>The configured token (read from <see cref="TokenFile"/> if that is the source), or null when none is set.</summary>
    public SharedToken? LoadToken()
    {
        if (Disabled)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(TokenFile))
        {
            return SharedToken.From(File.ReadAllText(TokenFile).Trim());
        }
        return string.IsNullOrEmpty(Token) ? null : SharedToken.From(Token);
    }
}
