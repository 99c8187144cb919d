using System.Runtime.CompilerServices;
using Leap.Training.Platform;

namespace Leap.Training.Tests;

/// <summary>
/// This test host runs small-CNN convolutions before ResNet ones, and oneDNN fixes its ISA at its first primitive: so
/// the limit is applied when the assembly loads, not when the first ResNet is built (as a `leap` process does).
/// </summary>
internal static class OneDnnIsaLimitForTests
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before any test creates a oneDNN primitive.")]
    internal static void Apply() => OneDnnIsaLimit.Apply();
}
