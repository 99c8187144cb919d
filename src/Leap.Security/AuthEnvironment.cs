using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Leap.Security;

/// <summary>
/// The environment variables that carry the token, and their mapping onto the <see cref="AuthOptions"/> keys
/// (a plain <c>LEAP_</c> prefix would turn <c>LEAP_AUTH_TOKEN</c> into the key <c>AUTH_TOKEN</c>, not <c>Auth:Token</c>).
/// </summary>
public static class AuthEnvironment
{
    /// <summary>The token itself. <c>leap launch</c> sets it for its children when no token is configured.</summary>
    public const string Token = "LEAP_AUTH_TOKEN";

    /// <summary>Path of a file holding the token (the Kubernetes Secret mounted as a file).</summary>
    public const string TokenFile = "LEAP_AUTH_TOKEN_FILE";

    /// <summary>The opt-out, through the usual <c>LEAP_</c> prefix: <c>LEAP_Auth__Disabled=true</c>.</summary>
    public const string Disabled = "LEAP_Auth__Disabled";

    /// <summary>
    /// Adds <c>Auth:Token</c> / <c>Auth:TokenFile</c> from <see cref="Token"/> / <see cref="TokenFile"/> of
    /// <paramref name="environment"/> (default: this process's environment), when set.
    /// </summary>
    public static IConfigurationBuilder AddAuthEnvironment(this IConfigurationBuilder builder, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        environment ??= Environment.GetEnvironmentVariables();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (environment[Token] is string token)
        {
            values[$"{AuthOptions.SectionName}:{nameof(AuthOptions.Token)}"] = token;
        }
        if (environment[TokenFile] is string file)
        {
            values[$"{AuthOptions.SectionName}:{nameof(AuthOptions.TokenFile)}"] = file;
        }
        return builder.AddInMemoryCollection(values);
    }
}
