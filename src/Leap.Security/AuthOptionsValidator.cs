using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>
/// Checks <see cref="AuthOptions"/>, naming the key (and the environment variable that sets it). A host (it serves
/// calls) needs a token unless <c>Auth:Disabled=true</c>; a client may run without one.
/// </summary>
public sealed class AuthOptionsValidator(bool requireToken = true) : IValidateOptions<AuthOptions>
{
    private const string S = AuthOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public IEnumerable<string> Failures(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool hasToken = !string.IsNullOrEmpty(options.Token);
        bool hasFile = !string.IsNullOrEmpty(options.TokenFile);
        if (options.Disabled)
        {
            if (hasToken || hasFile)
            {
                yield return $"{S}:{nameof(AuthOptions.Disabled)} = true, but a token is configured ({S}:{nameof(AuthOptions.Token)} " +
                    $"via {AuthEnvironment.Token}, or {S}:{nameof(AuthOptions.TokenFile)} via {AuthEnvironment.TokenFile}); set one or the other.";
            }
            yield break;
        }
        if (hasToken && hasFile)
        {
            yield return $"{S}:{nameof(AuthOptions.Token)} ({AuthEnvironment.Token}) and {S}:{nameof(AuthOptions.TokenFile)} " +
                $"({AuthEnvironment.TokenFile}) are both set; set only one.";
            yield break;
        }
        if (hasToken && SharedToken.Problem(options.Token!) is { } problem)
        {
            yield return $"{S}:{nameof(AuthOptions.Token)} ({AuthEnvironment.Token}): the token {problem}.";
        }
        if (hasFile && FileProblem(options.TokenFile!) is { } fileProblem)
        {
            yield return $"{S}:{nameof(AuthOptions.TokenFile)} ({AuthEnvironment.TokenFile}) = '{options.TokenFile}': {fileProblem}.";
        }
        if (requireToken && !hasToken && !hasFile)
        {
            yield return $"No shared token: set {AuthEnvironment.Token} or {AuthEnvironment.TokenFile} ({S}:{nameof(AuthOptions.TokenFile)}), " +
                $"or opt out explicitly with {S}:{nameof(AuthOptions.Disabled)}=true ({AuthEnvironment.Disabled}=true) to accept every caller.";
        }
    }

    private static string? FileProblem(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot be read ({e.GetType().Name})";
        }
        return SharedToken.Problem(text.Trim()) is { } problem ? $"the token in it {problem}" : null;
    }
}
