using System.Text;

namespace Leap.Benchmarks.Report;

/// <summary>One section of docs/benchmarks.md, rendered from the JSON results a `leap bench` command wrote.</summary>
public interface IBenchmarkSection
{
    string Title { get; }

    /// <summary>Appends the section's Markdown; says what to run when its results are missing.</summary>
    void Render(BenchmarkResults results, StringBuilder markdown);
}
