using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Leap.Core.Margins;
using Leap.Deployment.Tests.Infrastructure;
using Leap.Training.Configuration;
using Leap.Training.Modeling;

namespace Leap.Deployment.Tests;

/// <summary>What each overlay is for: a small CPU run, GPU workers, or the paper's face recipe from a .rec on the data volume.</summary>
public sealed class OverlayTests
{
    private const string RecordIo = "overlays/recordio";

    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    [KubectlTheory]
    [InlineData("overlays/cpu-smoke")]
    public void CpuSmoke_Workers_AreTwoShortSmallCpuRanks(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var worker = manifests.WorkerContainer;
        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);
        var full = Bindings.Training(Bindings.TrainingJson(Manifests.Render("base")), Manifests.Render("base").WorkerContainer);

        Assert.Equal(2, manifests.Workers.Spec.Parallelism);
        Assert.Equal("cpu", training.Device);
        Assert.True(training.Steps < full.Steps, $"cpu-smoke runs {training.Steps} steps, the base {full.Steps}");
        Assert.Equal(new ResourceQuantity("1"), worker.Resources.Limits["cpu"]);
        Assert.Equal(1, training.Threads);
        Assert.DoesNotContain("nvidia.com/gpu", worker.Resources.Limits.Keys);
    }

    [KubectlTheory]
    [InlineData("overlays/cpu-smoke")]
    public void CpuSmoke_EveryClaim_IsPatchedToASmallReadWriteOnceVolume(string overlay)
    {
        var claims = Manifests.Render(overlay).OfType<V1PersistentVolumeClaim>().ToList();
        var baseClaims = Manifests.Render("base").OfType<V1PersistentVolumeClaim>().ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);

        Assert.Equal(baseClaims.Keys.Order(StringComparer.Ordinal), claims.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(claims, c =>
        {
            Assert.Equal(["ReadWriteOnce"], c.Spec.AccessModes);
            decimal size = c.Spec.Resources.Requests["storage"].ToDecimal();
            decimal full = baseClaims[c.Metadata.Name].Spec.Resources.Requests["storage"].ToDecimal();
            Assert.True(size < full, $"cpu-smoke claim {c.Metadata.Name} requests {size} bytes, the base {full}: its volume patch does not cover it");
        });
    }

    [KubectlTheory]
    [InlineData("overlays/gpu")]
    public void Gpu_Workers_RequestOneGpuAndTrainOnCuda(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var worker = manifests.WorkerContainer;
        var pod = manifests.Workers.Spec.Template.Spec;

        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);

        Assert.Equal("cuda", training.Device);
        Assert.Equal(new ResourceQuantity("1"), worker.Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal("leap:gpu", worker.Image);
        Assert.NotEmpty(pod.NodeSelector);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu");
        Assert.DoesNotContain("nvidia.com/gpu", manifests.CoordinatorContainer.Resources.Limits.Keys);
    }

    [KubectlTheory]
    [InlineData(RecordIo)]
    public void RecordIo_TrainingJson_IsThePapersFaceRecipeReadingItsRec(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        string json = Bindings.TrainingJson(manifests);

        // TrainingConfigLoader (unknown keys fail) and TrainingOptionsValidator, with the worker's env and --set overrides.
        var training = Bindings.Training(json, manifests.WorkerContainer);
        var paper = Bindings.Training(File.ReadAllText(RepositoryPaths.Combine("configs", "faces-paper.json")), new V1Container { Name = "worker", Args = ["worker"] });

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Overlay("recordio"), "training.json")), json);
        Assert.Equal((DataFormat.RecordIo, "/data/faces/train.rec"), (training.Data.Format, training.Data.Path));
        Assert.Equal((112, 112, 3, ImageNormalisation.SymmetricUnit),
            (training.Data.ImageHeight, training.Data.ImageWidth, training.Data.Channels, training.Data.Normalisation));
        Assert.Equal((BackboneKind.ResNet18, 512), (training.Model.Backbone, training.Model.EmbeddingDimension));
        Assert.Equal((MarginKind.CosFace, 64.0, 0.35), (training.Loss.Margin, training.Loss.Scale, training.Loss.MarginValue));
        Assert.Equal(5, training.Leap.RefreshInterval);
        Assert.True(training.Data.HeadClasses > 0 && training.Data.TailClasses > 0,
            $"an <H,T> split needs H > 0 and an explicit T > 0 (got H={training.Data.HeadClasses}, T={training.Data.TailClasses})");
        // Everything else is configs/faces-paper.json: only where the data and the outputs are and the thread counts
        // (which follow the pod's CPU limit) differ.
        paper.Data.Path = training.Data.Path;
        paper.OutputDirectory = training.OutputDirectory;
        paper.Threads = training.Threads;
        paper.Data.DecodeThreads = training.Data.DecodeThreads;
        Assert.Equal(JsonSerializer.Serialize(paper, Readable), JsonSerializer.Serialize(training, Readable));
    }

    [KubectlTheory]
    [InlineData(RecordIo, false, false, true)]
    [InlineData(RecordIo, true, false, true)]
    [InlineData(RecordIo, false, true, true)]
    [InlineData(RecordIo, true, true, false)]
    public void RecordIo_DatasetWait_EndsOnlyOnceDataPathAndItsIdxExist(string overlay, bool rec, bool idx, bool waits)
    {
        var manifests = Manifests.Render(overlay);
        var training = Bindings.Training(Bindings.TrainingJson(manifests), manifests.WorkerContainer);
        var wait = manifests.Workers.Spec.Template.Spec.InitContainers.Single(c => c.Name == "wait-for-dataset");
        string recPath = training.Data.Path;
        string idxPath = Path.ChangeExtension(recPath, ".idx"); // as RecordIoImageSource finds the index
        string mount = Bindings.MountOf(wait, recPath).MountPath;
        // Files that must not matter: the base's Fashion-MNIST labels and what `leap pack` writes beside the pair.
        string[] present =
        [
            .. rec ? [recPath] : Array.Empty<string>(),
            .. idx ? [idxPath] : Array.Empty<string>(),
            mount + "/fashion-mnist/train-labels-idx1-ubyte",
            Path.GetDirectoryName(recPath) + "/property",
        ];

        var outcome = DatasetWait.Run(wait, mount, present);

        Assert.Equal(waits, outcome.Waited);
        if (waits)
        {
            Assert.Contains(recPath, outcome.Output, StringComparison.Ordinal);
            Assert.Contains(idxPath, outcome.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((0, ""), (outcome.ExitCode, outcome.Output));
        }
    }

    [KubectlTheory]
    [InlineData(RecordIo)]
    public void RecordIo_DataPath_IsOnTheReadOnlyDataClaimWhereTheInitContainerLooks(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var pod = manifests.Workers.Spec.Template.Spec;
        var training = Bindings.Training(Bindings.TrainingJson(manifests), manifests.WorkerContainer);

        var worker = Bindings.MountOf(manifests.WorkerContainer, training.Data.Path);
        var wait = Bindings.MountOf(pod.InitContainers.Single(c => c.Name == "wait-for-dataset"), training.Data.Path);
        var volume = pod.Volumes.Single(v => v.Name == worker.Name);

        Assert.Equal("leap-data", volume.PersistentVolumeClaim?.ClaimName);
        Assert.Equal((worker.Name, worker.MountPath, true), (wait.Name, wait.MountPath, worker.ReadOnlyProperty));
        Assert.StartsWith(worker.MountPath.TrimEnd('/') + "/", training.Data.Path, StringComparison.Ordinal);
    }

    [KubectlTheory]
    [InlineData(RecordIo)]
    public void RecordIo_TorchAndDecodeThreads_FitTheBaseWorkersCpuLimit(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var worker = manifests.WorkerContainer;
        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);
        decimal limit = worker.Resources.Limits["cpu"].ToDecimal();

        Assert.Equal(Manifests.Render("base").WorkerContainer.Resources.Limits["cpu"].ToDecimal(), limit);
        Assert.Equal("cpu", training.Device);
        // Threads 0 would mean one per core of the limit, leaving none for decoding.
        Assert.True(training.Threads >= 1, $"Training:Threads is {training.Threads}: set it so that the decode threads fit beside it");
        Assert.True(training.Threads + training.Data.DecodeThreads <= limit,
            $"Training:Threads {training.Threads} + Data:DecodeThreads {training.Data.DecodeThreads} busy threads exceed the worker's CPU limit {limit}");
    }

    [KubectlTheory]
    [InlineData(RecordIo)]
    public void RecordIo_OutputAndCoordinatorState_AreApartFromTheBaseRun(string overlay)
    {
        var manifests = Manifests.Render(overlay);
        var baseManifests = Manifests.Render("base");
        var training = Bindings.Training(Bindings.TrainingJson(manifests), manifests.WorkerContainer);
        var baseTraining = Bindings.Training(Bindings.TrainingJson(baseManifests), baseManifests.WorkerContainer);

        var coordinator = Bindings.Coordinator(manifests.CoordinatorContainer);

        // Same leap-runs claim, Checkpoint:Resume on: a shared directory would resume the Fashion-MNIST model and job.
        Assert.Equal(("/runs/faces", "/runs/faces/coordinator"), (training.OutputDirectory, coordinator.StateDirectory));
        Assert.False(training.OutputDirectory.StartsWith(baseTraining.OutputDirectory + "/", StringComparison.Ordinal)
            || baseTraining.OutputDirectory.StartsWith(training.OutputDirectory + "/", StringComparison.Ordinal)
            || training.OutputDirectory == baseTraining.OutputDirectory,
            $"{training.OutputDirectory} and the base's {baseTraining.OutputDirectory} overlap");
        Assert.Equal(training.BatchSize, coordinator.GlobalBatchSize);
    }
}
