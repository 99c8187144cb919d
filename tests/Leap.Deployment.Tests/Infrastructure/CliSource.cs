using System.Text.RegularExpressions;

namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>A <c>leap</c> sub-command as declared in src/Leap.Cli/Commands: its options and their literal defaults.</summary>
public sealed record CliCommand(string Name, IReadOnlyDictionary<string, string?> Defaults, IReadOnlySet<string> Required)
{
    public bool HasOption(string option) => Defaults.ContainsKey(option);
}

/// <summary>
/// Reads the sub-commands registered in src/Leap.Cli/Program.cs from their source. Leap.Cli references TorchSharp, which
/// this project must not, so the declarations (<c>new Command("name"</c>, <c>new Option&lt;T&gt;("--x") { ... }</c>) are parsed.
/// </summary>
public static partial class CliSource
{
    private static readonly Lazy<IReadOnlyDictionary<string, CliCommand>> Parsed = new(Parse);

    public static IReadOnlyDictionary<string, CliCommand> Commands => Parsed.Value;

    private static Dictionary<string, CliCommand> Parse()
    {
        string program = File.ReadAllText(RepositoryPaths.Combine("src", "Leap.Cli", "Program.cs"));
        var result = new Dictionary<string, CliCommand>(StringComparer.Ordinal);
        foreach (Match registered in RegisteredCommand().Matches(program))
        {
            // Commands declared in another shape are left out; a test that needs one fails naming it.
            string file = RepositoryPaths.Combine("src", "Leap.Cli", "Commands", registered.Groups[1].Value + ".cs");
            if (!File.Exists(file) || CommandName().Match(File.ReadAllText(file)) is not { Success: true } m)
            {
                continue;
            }
            string source = File.ReadAllText(file);
            string name = m.Groups[1].Value;
            var defaults = new Dictionary<string, string?>(StringComparer.Ordinal);
            var required = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match option in OptionDeclaration().Matches(source))
            {
                string body = option.Groups[2].Value;
                defaults[option.Groups[1].Value] = DefaultValue().Match(body) is { Success: true } d ? d.Groups[1].Value.Trim().Trim('"') : null;
                if (body.Contains("Required = true", StringComparison.Ordinal))
                {
                    required.Add(option.Groups[1].Value);
                }
            }
            result[name] = new CliCommand(name, defaults, required);
        }
        return result;
    }

    [GeneratedRegex(@"(\w+Command)\.Create\(\)")]
    private static partial Regex RegisteredCommand();

    [GeneratedRegex(@"new Command\(""([^""]+)""")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"new Option<[^>]+>\(""(--[a-z-]+)""\)\s*\{([^}]*)\}")]
    private static partial Regex OptionDeclaration();

    [GeneratedRegex(@"DefaultValueFactory = _ => ([^,}]+)")]
    private static partial Regex DefaultValue();
}
