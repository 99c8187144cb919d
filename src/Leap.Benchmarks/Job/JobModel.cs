using System.Globalization;

namespace Leap.Benchmarks.Job;

/// <summary>
/// The model a `leap bench job` run trains on the quick-start data (Fashion-MNIST long-tail, configs/quickstart.json):
/// its name, global batch, our `--set` overrides and the DDP peer's matching arguments (tests/reference/bench_ddp_job.py).
/// </summary>
public sealed record JobModel(string Name, int Batch, IReadOnlyList<string> Settings, IReadOnlyList<string> PeerArguments, string Description)
{
    /// <summary>The quick-start job as configured: SmallCnn, 28x28 grey, 64-d embedding, global batch 128.</summary>
    public static readonly JobModel QuickStart = new("quickstart", 128, [], ["--backbone", "smallcnn"], "SmallCnn, 28x28 grey, D = 64, global batch 128");

    /// <summary>
    /// The face-sized job on the same data: ResNet-18 at 112x112 (each image resized, its grey channel repeated), a
    /// 512-d embedding, global batch 32; a small test set, so the final evaluation does not dominate a short run.
    /// </summary>
    public static readonly JobModel ResNet18 = new("resnet18", 32,
        ["Model:Backbone=ResNet18", "Model:EmbeddingDimension=512", "Data:ImageHeight=112", "Data:ImageWidth=112", "Data:Channels=3", "Data:TestSamplesPerClass=20"],
        ["--backbone", "resnet18", "--size", "112", "--channels", "3", "--dim", "512"],
        "ResNet-18, 112x112 (grey repeated to 3 channels), D = 512, global batch 32");

    public static IReadOnlyList<JobModel> All { get; } = [QuickStart, ResNet18];

    /// <summary>Our overrides: the batch and the model's settings, as `--set Key=Value` pairs.</summary>
    public IEnumerable<string> SetArguments() =>
        new[] { $"BatchSize={Batch.ToString(CultureInfo.InvariantCulture)}" }.Concat(Settings).SelectMany(s => new[] { "--set", s });
}
