using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Leap.Analyzers.Tests;

/// <summary>Compiles a snippet against the framework and TorchSharp and runs <see cref="TemporaryScalarAnalyzer"/> over it.</summary>
internal static class AnalyzerHarness
{
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torchvision).Assembly.Location),
    ];

    /// <returns>The analyzer's diagnostics as "ID: the flagged code".</returns>
    public static async Task<string[]> Diagnose(string body)
    {
        string source = $$"""
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Snippet
            {
                public static void Run(Tensor a, Tensor b, double x)
                {
            {{body}}
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source);
        var compilation = CSharpCompilation.Create("snippet", [tree], References, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the snippet does not compile: " + string.Join("; ", errors));
        var diagnostics = await compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start).Select(d => $"{d.Id}: {d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)}")];
    }
}
