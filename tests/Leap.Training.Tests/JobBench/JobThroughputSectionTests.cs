using System.Text;
using Leap.Benchmarks.Job;
using Leap.Benchmarks.Report;
using Leap.Launch;

namespace Leap.Training.Tests.JobBench;

/// <summary>The distributed-job section of docs/benchmarks.md, rendered from fabricated docs/bench/job-w*.json files.</summary>
public sealed class JobThroughputSectionTests : IDisposable
{
    private const string NoPeer = "PyTorch DDP peer not run: /usr/bin/python3 cannot import torch (apt-get install python3-torch).";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-job-section-" + Guid.NewGuid().ToString("N"));

    private static JobRun Run(string implementation, double imagesPerSecond, double cpu) =>
        new(implementation, imagesPerSecond, cpu, 60, 1.0) { TimedCpuSecondsPerStep = implementation == JobRun.Ddp ? 0.3 : null };

    /// <summary>A report whose repeats have these (launch, train, DDP) images/s; DDP null = the peer did not run.</summary>
    private static JobBenchReport Report(int workers, string variant, params (double Launch, double Train, double? Ddp)[] repeats) =>
        new(new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero), 1.5, 2.5, 2, workers, Math.Max(1, 2 / workers), variant, 128, 300, 100, 300,
            repeats.Select((r, i) => new JobRepeat(i + 1, Run(JobRun.Launch, r.Launch, 2.0), Run(JobRun.Train, r.Train, 1.5),
                r.Ddp is double d ? Run(JobRun.Ddp, d, 1.2) : null)).ToList(),
            repeats.Any(r => r.Ddp is null) ? NoPeer : "/usr/bin/python3 tests/reference/bench_ddp_job.py");

    private void Write(JobBenchReport report) => report.Write(Path.Combine(_root, JobBenchReport.FileName(report.Workers, report.Variant, report.Model)));

    private string Render()
    {
        var markdown = new StringBuilder();
        new JobThroughputSection().Render(new BenchmarkResults(_root), markdown);
        return markdown.ToString();
    }

    [Fact]
    public void Render_TwoWorkersFastAndFourSlow_ShowsMediansAndSaysWhichTargetIsMet()
    {
        Write(Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480)));
        Write(Report(4, "Full", (400, 450, 500), (420, 460, 520), (380, 440, 480)));

        string text = Render();

        Assert.Contains("| quickstart | 2 | Full | default | sharded | 1 | 300 (100) | 2026-01-02 03:04, 1.5 -> 2.5 | 500.0 | 470.0 | 490.0 | 1.02x | 1.06x | 1.08x / 1.11x / 1.04x | 2.000 / 1.500 / 1.200 | 0.300 | 500 / 450 / 490; 480 / 470 / 500; 520 / 500 / 480 |", text, StringComparison.Ordinal);
        Assert.Contains("| quickstart | 4 | Full | default | sharded | 1 | 300 (100) |", text, StringComparison.Ordinal);
        Assert.Contains("| 400.0 | 450.0 | 500.0 | 0.80x | 0.89x | 1.11x / 1.05x / 1.08x |", text, StringComparison.Ordinal);
        Assert.Contains("- 2-worker quick-start job (Full) >= 1.0x PyTorch DDP images/s: met (median 500.0 vs 490.0 img/s = 1.02x; at or above the target in 2 of 3 repeats).", text, StringComparison.Ordinal);
        Assert.Contains("- 4-worker quick-start job (Full) >= 0.9x PyTorch DDP images/s: missed by 10 % of DDP's throughput (median 400.0 vs 500.0 img/s = 0.80x; at or above the target in 0 of 3 repeats).", text, StringComparison.Ordinal);
        Assert.Contains("- `leap launch --workers 2` never slower than `leap train` of the same job: quickstart Full: met (launch at least as fast in 3 of 3 repeats, median launch / train 1.06x).", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoPeerAndOneSlowerLaunch_SaysUndecidedAndMissed()
    {
        Write(Report(2, "Full", (500, 450, null), (440, 470, null), (520, 500, null)));

        string text = Render();

        Assert.Contains("| 500.0 | 470.0 | — | — | 1.06x | 1.18x / 1.11x / — | 2.000 / 1.500 / — | — | 500 / 450 / —; 440 / 470 / —; 520 / 500 / — |", text, StringComparison.Ordinal);
        Assert.Contains($"- 2-worker quick-start job (Full) >= 1.0x PyTorch DDP images/s: undecided: {NoPeer}", text, StringComparison.Ordinal);
        Assert.Contains("- 4-worker quick-start job (Full) >= 0.9x PyTorch DDP images/s: not measured yet.", text, StringComparison.Ordinal);
        Assert.Contains("never slower than `leap train` of the same job: quickstart Full: missed (launch at least as fast in 2 of 3 repeats, median launch / train 1.06x; CPU s/step launch ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BaselineVariant_GivesTheLikeForLikeRatio()
    {
        Write(Report(2, "None", (600, 500, 480), (620, 520, 500), (580, 510, 490)));

        string text = Render();

        Assert.Contains("Like for like (quickstart, None, no LEAP on either side), 2 workers: launch / DDP = 1.22x", text, StringComparison.Ordinal);
        Assert.Contains("- 2-worker quick-start job (Full) >= 1.0x PyTorch DDP images/s: not measured yet.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BothVariants_SetsLeapsCostAgainstThePeersMovement()
    {
        Write(Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480)));
        Write(Report(2, "None", (600, 500, 480), (620, 520, 500), (580, 510, 490)));

        string text = Render();

        // 600 / 500 - 1 = +20 % against a peer that moved 0 % (490 in both).
        Assert.Contains("launch / DDP = 1.22x. Launch img/s without LEAP is +20 % of the Full run's; the DDP peer, the same job in both, moved 0 % between the two results, so the difference exceeds the machine's run-to-run change.", text, StringComparison.Ordinal);
        Assert.Contains("same job: quickstart Full: met (launch at least as fast in 3 of 3 repeats, median launch / train 1.06x); quickstart None: met (", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ResNetJob_HasItsOwnRowAndDoesNotDecideTheQuickStartTargets()
    {
        Write(Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480)));
        Write(Report(2, "Full", (20, 25, 10), (21, 24, 11), (19, 26, 12)) with { Model = JobModel.ResNet18.Name });

        string text = Render();

        Assert.True(File.Exists(Path.Combine(_root, "job-resnet18-w2-full.json")));
        Assert.Contains("| resnet18 | 2 | Full | default | sharded | 1 | 300 (100) |", text, StringComparison.Ordinal);
        // The quick-start row comes first, and the DDP target is decided by it alone (1.02x), not by ResNet-18's 1.82x.
        Assert.True(text.IndexOf("| quickstart | 2 |", StringComparison.Ordinal) < text.IndexOf("| resnet18 | 2 |", StringComparison.Ordinal));
        Assert.Contains("images/s: met (median 500.0 vs 490.0 img/s = 1.02x;", text, StringComparison.Ordinal);
        Assert.Contains("; resnet18 Full: missed (launch at least as fast in 0 of 3 repeats, median launch / train 0.80x;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RetainedAndGlibcHeap_TargetsUseTheRetainedRunAndTheSpeedUpIsGiven()
    {
        var glibc = Report(2, "Full", (200, 250, 180), (220, 240, 200), (210, 260, 190));
        WriteAs(glibc, NativeHeapRetention.DefaultHeap);
        WriteAs(Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480)), NativeHeapRetention.RetainHeap);

        string text = Render();

        Assert.Contains("| quickstart | 2 | Full | retain | sharded | 1 | 300 (100) |", text, StringComparison.Ordinal);
        Assert.Contains("| quickstart | 2 | Full | default | sharded | 1 | 300 (100) |", text, StringComparison.Ordinal);
        // The retained run decides the target (500 vs 490: met), not the glibc one (210 vs 190 would also be met, but 210 vs 260 train would not).
        Assert.Contains("- 2-worker quick-start job (Full) >= 1.0x PyTorch DDP images/s: met (median 500.0 vs 490.0 img/s", text, StringComparison.Ordinal);
        Assert.Contains("launch 210 -> 500 img/s (2.38x), train 250 -> 470 (1.88x), DDP peer 190 -> 490 (2.58x)", text, StringComparison.Ordinal);

        void WriteAs(JobBenchReport r, string heap) =>
            (r with { NativeHeap = heap }).Write(Path.Combine(_root, JobBenchReport.FileName(r.Workers, r.Variant, r.Model, heap == NativeHeapRetention.RetainHeap)));
    }

    [Fact]
    public void Render_RunsWithPhases_TableOfTrainAndLaunchMediansOverTheRepeats()
    {
        var r = Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480));
        IReadOnlyList<PhaseTime> Phases(double forward, double gather) => gather > 0
            ? [new("data", 1), new("forward", forward), new("gather", gather)]
            : [new("data", 1), new("forward", forward)];
        var repeats = r.Repeats.Select((p, i) => p with
        {
            Train = p.Train with { Phases = Phases(10 + i, 0) },
            Launch = p.Launch with { Phases = Phases(6 + i, 2 * (i + 1)) },
        }).ToList();
        (r with { Repeats = repeats, NativeHeap = NativeHeapRetention.RetainHeap }).Write(Path.Combine(_root, JobBenchReport.FileName(2, "Full", r.Model)));

        string text = Render();

        Assert.Contains("| phase | train ms | launch ms (rank 0) |", text, StringComparison.Ordinal);
        Assert.Contains("| forward | 11.00 | 7.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| gather | — | 4.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| sum of the medians | 12.00 | 12.00 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PeerWithPhases_AddsItsColumn()
    {
        var r = Report(2, "Full", (500, 450, 490));
        IReadOnlyList<PhaseTime> ours = [new("data", 1), new("forward", 10)];
        var repeat = r.Repeats[0] with
        {
            Train = r.Repeats[0].Train with { Phases = ours },
            Launch = r.Repeats[0].Launch with { Phases = ours },
            Ddp = r.Repeats[0].Ddp! with { Phases = [new("data", 0.5), new("forward", 8), new("backward + overlapped gradient all-reduce", 9)] },
        };
        (r with { Repeats = [repeat], NativeHeap = NativeHeapRetention.RetainHeap }).Write(Path.Combine(_root, JobBenchReport.FileName(2, "Full", r.Model)));

        string text = Render();

        Assert.Contains("| phase | train ms | launch ms (rank 0) | DDP peer ms (rank 0) |", text, StringComparison.Ordinal);
        Assert.Contains("| forward | 10.00 | 10.00 | 8.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| backward + overlapped gradient all-reduce | — | — | 9.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| sum of the medians | 11.00 | 11.00 | 17.50 |", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// An auto launch that replicated the classifier next to the same job forced to shard it: both rows say which
    /// placement ran, the targets use the auto result, and the comparison sets the launch's change against the peer's.
    /// </summary>
    [Fact]
    public void Render_AutoReplicatedAndForcedSharded_TargetsUseAutoAndTheChangeIsGiven()
    {
        var sharded = Report(2, "Full", (400, 450, 490), (420, 470, 500), (410, 500, 480)) with { NativeHeap = NativeHeapRetention.RetainHeap, Classifier = "sharded" };
        var auto = Report(2, "Full", (500, 450, 490), (480, 470, 500), (520, 500, 480)) with { NativeHeap = NativeHeapRetention.RetainHeap, Classifier = "auto" };
        auto = auto with { Repeats = [.. auto.Repeats.Select(p => p with { Launch = p.Launch with { ClassifierPlacement = "replicated" } })] };
        sharded.Write(Path.Combine(_root, JobBenchReport.FileName(2, "Full", sharded.Model, classifier: "sharded")));
        auto.Write(Path.Combine(_root, JobBenchReport.FileName(2, "Full", auto.Model)));

        string text = Render();

        Assert.Contains("| quickstart | 2 | Full | retain | auto -> replicated | 1 | 300 (100) |", text, StringComparison.Ordinal);
        Assert.Contains("| quickstart | 2 | Full | retain | sharded | 1 | 300 (100) |", text, StringComparison.Ordinal);
        Assert.Contains("- 2-worker quick-start job (Full) >= 1.0x PyTorch DDP images/s: met (median 500.0 vs 490.0 img/s = 1.02x;", text, StringComparison.Ordinal);
        Assert.Contains("Replicated vs sharded classifier (quickstart, 2 workers, Full; sharded forced with `--classifier sharded`, run 2026-01-02 03:04): launch 410 -> 500 img/s (1.22x), launch / DDP 0.84x -> 1.02x; the DDP peer, the same job in both, 490 -> 490 img/s (1.00x), so the launch's change exceeds the machine's run-to-run change.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LaunchedPlacement_WorkerLogLines_GiveThePlacementAndRefuseAMix()
    {
        Directory.CreateDirectory(_root);
        string log = Path.Combine(_root, "launch.log");
        File.WriteAllLines(log, ["[rank 0] [05:58:22 INF] Classifier replicated on this rank: classes [0, 10) (Training:Distributed:Classifier = Auto)", "[rank 1] other"]);
        Assert.Equal("replicated", LaunchedPlacement.Read(log));

        File.AppendAllLines(log, ["[rank 1] [05:58:22 INF] Classifier sharded on this rank: classes [5, 10) (Training:Distributed:Classifier = Auto)"]);
        Assert.Throws<InvalidOperationException>(() => LaunchedPlacement.Read(log));
        Assert.Null(LaunchedPlacement.Read(Path.Combine(_root, "missing.log")));
    }

    [Fact]
    public void DdpVerdict_MissedWithPhasesOnBothSides_SaysWhichPartOfTheStepDiffers()
    {
        var r = Report(2, "Full", (450, 450, 500));
        var repeat = r.Repeats[0] with
        {
            Launch = r.Repeats[0].Launch with { Phases = [new("data", 0.1), new("forward", 22), new("loss", 1), new("backward", 18), new("gradient all-reduce", 2), new("optimizer", 0.2)] },
            Ddp = r.Repeats[0].Ddp! with { Phases = [new("data", 0.1), new("forward", 20.5), new("loss", 0.3), new("backward + overlapped gradient all-reduce", 21), new("optimizer", 0.5)] },
        };

        string verdict = JobThroughputSection.DdpVerdict(r with { Repeats = [repeat] }, 1.0);

        Assert.StartsWith("missed by 10 % of DDP's throughput", verdict, StringComparison.Ordinal);
        Assert.EndsWith(" Rank 0's step against the peer's, ms per step (phase medians): forward 22.00 vs 20.50 (+1.50), loss 1.00 vs 0.30 (+0.70; the loss includes LEAP's alpha and margin, which the peer does not run), backward with the collectives 20.00 vs 21.00 (-1.00), optimizer 0.20 vs 0.50 (-0.30).", verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150.0, "the rest (its compute) 180.0 ms against train's 200.0 ms, so the launch computes a step at least as fast and its collectives are what it loses")]
    [InlineData(100.0, "the rest (its compute) 130.0 ms against train's 200.0 ms, so even with its collectives rank 0's timed phases take no longer than train's step: the slower repeats lose their time outside the phases (between steps, waiting on the other rank's start) or to the machine's run-to-run spread")]
    [InlineData(230.0, "the rest (its compute) 260.0 ms against train's 200.0 ms, so the launch's compute alone is slower than the single process's")]
    public void TrainVerdict_SlowerLaunchWithPhases_SetsItsComputeAgainstTrainsStep(double backward, string expected)
    {
        var r = Report(2, "Full", (140, 150, 80));
        var repeat = r.Repeats[0] with
        {
            Train = r.Repeats[0].Train with { Phases = [new("forward", 30), new("backward", 160), new("optimizer", 10)] },
            Launch = r.Repeats[0].Launch with { Phases = [new("forward", 20), new("backward", backward), new("gradient all-reduce", 30), new("optimizer", 10)] },
        };

        string verdict = JobThroughputSection.TrainVerdict(r with { Repeats = [repeat] });

        Assert.StartsWith("Full: missed (launch at least as fast in 0 of 1 repeats", verdict, StringComparison.Ordinal);
        // The fabricated result predates the placement setting, so it reads as sharded and says where the softmax's reductions went.
        Assert.Contains($"rank 0's collectives take 30.0 of its {backward + 60:0.0} ms (the sharded step's loss phase also holds the distributed softmax's reductions, counted here as compute), {expected})", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoResult_SaysWhatToRun()
    {
        Assert.Contains("No results yet: run `leap bench job --workers 2 --steps 300 --repeats 3`.", Render(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
