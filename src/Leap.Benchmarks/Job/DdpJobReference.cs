using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Launch;

namespace Leap.Benchmarks.Job;

/// <summary>
/// The PyTorch DDP (gloo) peer of the job, tests/reference/bench_ddp_job.py, run with Debian's python3-torch as a
/// subprocess: N processes of T = cores / N threads, the same model, global batch, steps and warm-up as ours.
/// </summary>
public sealed class DdpJobReference
{
    public const string ScriptPath = "tests/reference/bench_ddp_job.py";

    private readonly JobBenchSettings _settings;
    private readonly string _python;
    private readonly string _script;
    private readonly string _dataPath;
    private readonly string _scratch;

    private DdpJobReference(JobBenchSettings settings, string python, string script, string dataPath, string scratch)
    {
        _settings = settings;
        _python = python;
        _script = script;
        _dataPath = dataPath;
        _scratch = scratch;
    }

    public string Note => $"{_python} {ScriptPath} (torch DDP, gloo), run as a subprocess after our two runs of each repeat";

    /// <summary>The peer, or why it cannot run here (no script, no interpreter, no torch).</summary>
    public static async Task<(DdpJobReference? Reference, string Note)> FindAsync(JobBenchSettings settings, string python, string dataPath, string scratch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? script = ReferenceScript.Find(ScriptPath);
        if (script is null)
        {
            return (null, $"PyTorch DDP peer not run: {ScriptPath} not found above {Environment.CurrentDirectory}.");
        }
        if (!File.Exists(python))
        {
            return (null, $"PyTorch DDP peer not run: {python} not found (apt-get install python3-torch).");
        }
        var probe = new ProcessStartInfo(python) { ArgumentList = { "-c", "import torch" } };
        var usage = await MeasuredChild.RunAsync(probe, Path.Combine(scratch, "torch-probe.log"), cancellation).ConfigureAwait(false);
        return usage.ExitCode == 0
            ? (new DdpJobReference(settings, python, script, dataPath, scratch), "")
            : (null, $"PyTorch DDP peer not run: {python} cannot import torch (apt-get install python3-torch).");
    }

    /// <summary>Why the peer cannot run <paramref name="workers"/> processes of a global <paramref name="batch"/>, or null when it can.</summary>
    public static string? Refusal(int workers, int batch) => batch % workers == 0 ? null
        : $"PyTorch DDP peer not run for {workers} workers: it splits the global batch of {batch} evenly over the processes.";

    public async Task<JobRun> RunAsync(int workers, int repeat, CancellationToken cancellation)
    {
        string name = $"ddp-{_settings.Model.Name}-w{I(workers)}-r{I(repeat)}";
        string output = Path.Combine(_scratch, name + ".json");
        string log = Path.Combine(_scratch, name + ".log");
        double load = CentreLoad.CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
        var info = new ProcessStartInfo(_python);
        Leap.Launch.NativeHeapRetention.ConfigureChild(info, _settings.RetainNativeHeap);
        string[] arguments =
        [
            _script, "--data", _dataPath, "--workers", I(workers), "--threads", I(JobBenchSettings.ThreadsPerWorker(workers)),
            "--batch", I(_settings.Batch), .. _settings.Model.PeerArguments, "--warmup", I(_settings.WarmupSteps), "--steps", I(_settings.Steps - _settings.WarmupSteps),
            "--port", I(FreePorts.Take(1)[0]), "--out", output,
        ];
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        var usage = await MeasuredChild.RunAsync(info, log, cancellation).ConfigureAwait(false);
        if (usage.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"{_python} {ScriptPath} ({name}) exited with code {I(usage.ExitCode)}; its last lines ({log}):{Environment.NewLine}{MeasuredChild.Tail(log)}");
        }
        var result = JsonSerializer.Deserialize<DdpResult>(await File.ReadAllTextAsync(output, cancellation).ConfigureAwait(false))
            ?? throw new InvalidDataException($"{output}: empty result.");
        File.Delete(output);
        File.Delete(log);
        return new JobRun(JobRun.Ddp, result.ImagesPerSecond, usage.CpuSeconds / _settings.Steps, usage.WallSeconds, load)
        {
            TimedCpuSecondsPerStep = result.CpuSecondsPerStep,
            Phases = result.Phases is { Count: > 0 } phases ? phases : null,
        };
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record DdpResult(
        [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
        [property: JsonPropertyName("cpu_seconds_per_step")] double CpuSecondsPerStep,
        [property: JsonPropertyName("phase_medians_ms")] IReadOnlyList<PhaseTime>? Phases = null);
}
