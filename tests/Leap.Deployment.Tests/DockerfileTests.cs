using System.Text.RegularExpressions;
using System.Xml.Linq;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>The Dockerfile the manifests' image comes from refers to paths and names that exist.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(RepositoryPaths.Combine("Dockerfile"));

    [Fact]
    public void Entrypoint_Dll_IsTheCliAssemblyInThePublishDirectory()
    {
        string assemblyName = XDocument.Load(RepositoryPaths.Combine("src", "Leap.Cli", "Leap.Cli.csproj"))
            .Descendants("AssemblyName").Single().Value;
        var entrypoint = Entrypoint().Match(Dockerfile);
        string publishDirectory = PublishOutput().Match(Dockerfile).Groups[1].Value;

        Assert.True(entrypoint.Success, "no ENTRYPOINT [\"dotnet\", \"<dll>\"] in the Dockerfile");
        Assert.Equal($"{publishDirectory}/{assemblyName}.dll", entrypoint.Groups[1].Value);
        Assert.Matches($@"COPY --from=publish {Regex.Escape(publishDirectory)} ", Dockerfile);
    }

    [Fact]
    public void Copy_Sources_ExistInTheRepository()
    {
        var sources = CopyInstruction().Matches(Dockerfile)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToList();

        Assert.Contains("configs/", sources);
        Assert.All(sources, s => Assert.True(File.Exists(RepositoryPaths.Combine(s)) || Directory.Exists(RepositoryPaths.Combine(s)),
            $"Dockerfile copies '{s}', which does not exist"));
    }

    [Fact]
    public void DotnetCommands_ProjectPaths_Exist()
    {
        var projects = ProjectArgument().Matches(Dockerfile).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.True(File.Exists(RepositoryPaths.Combine(p)), $"Dockerfile builds '{p}', which does not exist"));
    }

    [GeneratedRegex(@"^ENTRYPOINT\s+\[\s*""dotnet""\s*,\s*""([^""]+)""\s*\]", RegexOptions.Multiline)]
    private static partial Regex Entrypoint();

    [GeneratedRegex(@"dotnet publish [^\n]*-o (\S+)")]
    private static partial Regex PublishOutput();

    [GeneratedRegex(@"^COPY (?!--from)([^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex CopyInstruction();

    [GeneratedRegex(@"dotnet (?:restore|publish|build) (\S+\.csproj)")]
    private static partial Regex ProjectArgument();
}
