using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Leap.Training.Modeling;

namespace Leap.Benchmarks.Step;

/// <summary>
/// Runs tests/reference/bench_torch_step.py with the system python3 (Debian's python3-torch) as a subprocess and reads
/// the timing it writes; says why when it cannot (no interpreter, no torch, no script).
/// </summary>
public static class TorchStepReference
{
    public const string ScriptPath = "tests/reference/bench_torch_step.py";

    public static async Task<(StepTiming? Timing, string Note)> RunAsync(StepBenchSettings settings, string python, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Backbone is not (BackboneKind.SmallCnn or BackboneKind.ResNet18 or BackboneKind.ResNet50))
        {
            return (null, $"PyTorch reference not run: {ScriptPath} has no {settings.Backbone}.");
        }
        string? script = ReferenceScript.Find(ScriptPath);
        if (script is null)
        {
            return (null, $"PyTorch reference not run: {ScriptPath} not found above {Environment.CurrentDirectory}.");
        }
        if (!File.Exists(python))
        {
            return (null, $"PyTorch reference not run: {python} not found (apt-get install python3-torch).");
        }
        string output = Path.Combine(Path.GetTempPath(), $"leap-step-torch-{Environment.ProcessId}.json");
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var info = new ProcessStartInfo(python) { UseShellExecute = false };
        foreach (string a in new[]
        {
            script, "--backbone", settings.Backbone == BackboneKind.SmallCnn ? "smallcnn" : "resnet18", "--batch", I(settings.Batch),
            "--classes", I(settings.Classes), "--dim", I(settings.Dimension), "--image", I(settings.Image),
            "--channels", I(StepBenchSettings.Channels), "--dataset", I(StepBenchSettings.DatasetImages), "--threads", I(settings.Threads),
            "--warmup", I(settings.WarmupSteps), "--steps", I(settings.Steps), "--out", output,
        })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
        await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            return (null, $"PyTorch reference failed: {python} {ScriptPath} exited with code {process.ExitCode} (is python3-torch installed?).");
        }
        var timing = JsonSerializer.Deserialize<StepTiming>(await File.ReadAllTextAsync(output, cancellation).ConfigureAwait(false));
        File.Delete(output);
        return (timing, $"{python} {ScriptPath}, run as a subprocess right after our steps");
    }
}
