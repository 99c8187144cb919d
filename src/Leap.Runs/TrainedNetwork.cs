using System.Globalization;
using Leap.Runs.Configuration;
using Leap.Core.Statistics;
using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Export;
using Leap.Training.Modeling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Runs;

/// <summary>
/// The embedding network of a run, in evaluation mode, from its config.json and one checkpoint's network.bin (rank 0's
/// for a distributed run: the backbone is the same on every rank), with what an exported model records about it: the
/// input it was trained on (channels, size, normalisation) and a summary of the method. Unlike <see cref="TrainedRun"/>
/// it rebuilds neither the data split nor the classifier; only a run without a configured image size (IDX, or
/// Data:ImageHeight = 0) opens its training source, to read the size of its images.
/// </summary>
public sealed class TrainedNetwork : IDisposable
{
    private TrainedNetwork(EmbeddingNetwork network, EmbeddingModelMetadata metadata, string checkpoint)
    {
        Network = network;
        Metadata = metadata;
        Checkpoint = checkpoint;
    }

    public EmbeddingNetwork Network { get; }
    public EmbeddingModelMetadata Metadata { get; }

    /// <summary>The checkpoint directory the weights came from.</summary>
    public string Checkpoint { get; }

    /// <exception cref="ConfigurationException">No run directory, or no or an invalid configuration.</exception>
    /// <exception cref="FileNotFoundException">No such checkpoint; the message names the run and the step.</exception>
    public static TrainedNetwork Open(string directory, CheckpointChoice choice, string? configPath = null)
    {
        ArgumentNullException.ThrowIfNull(choice);
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            throw new ConfigurationException($"--run: directory '{directory}' does not exist.");
        }
        var options = RunConfigFile.Load(directory, configPath);
        var (checkpoint, meta) = FindCheckpoint(directory, choice);
        var (channels, height, width) = InputSize(options.Data);
        var (mean, std) = ImageSourceFactory.InputNormalisation(options.Data);
        var model = options.Model;
        var network = EmbeddingNetwork.Create(model.Backbone, new ImageShape(channels, height, width), model.EmbeddingDimension, model.BatchNorm, TrainingSession.PretrainedPath(model));
        try
        {
            network.LoadWeights(Path.Combine(checkpoint, "network.bin"));
            network.eval();
            var metadata = new EmbeddingModelMetadata(model.Backbone.ToString(), model.EmbeddingDimension, channels, height, width, mean, std,
                Summary(options), BatchNormFolded: false, meta.Step);
            return new TrainedNetwork(network, metadata, checkpoint);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>"CosFace s=24 m=0.2 + LEAP Full (PerColumn); SmallCnn D=64; Idx /data, 600 steps, seed 1".</summary>
    public static string Summary(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var leap = options.Leap;
        string method = leap.Variant == LeapVariant.None ? "baseline" : $"LEAP {leap.Variant} ({leap.AlphaMode})";
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.Loss.Margin} s={options.Loss.Scale} m={options.Loss.MarginValue} + {method}; {options.Model.Backbone} D={options.Model.EmbeddingDimension}; {options.Data.Format} {options.Data.Path}, {options.Steps} steps, seed {options.Seed}");
    }

    private static (string Directory, CheckpointMeta Meta) FindCheckpoint(string directory, CheckpointChoice choice)
    {
        string root = Path.Combine(directory, "checkpoints");
        long? step = choice.Step ?? TrainedRun.CommittedStep(directory);
        int? world = ShardedCheckpointReader.WorldSizeOf(root, step);
        CheckpointStore store;
        if (world is int worldSize)
        {
            step ??= ShardedCheckpointReader.StepsOnEveryRank(root, worldSize).DefaultIfEmpty(-1).Max();
            store = new CheckpointStore(Path.Combine(root, ShardedCheckpointReader.RankFolderName(0, worldSize)), int.MaxValue);
        }
        else
        {
            store = new CheckpointStore(root, int.MaxValue);
        }
        var found = step is long s && s >= 0 ? store.At(s) : step is null ? store.Latest() : null;
        return found ?? throw new FileNotFoundException(step is long wanted && wanted >= 0
            ? $"Run '{directory}' has no complete checkpoint of step {wanted} under {store.Root}."
            : $"Run '{directory}' has no complete checkpoint under {root}.", root);
    }

    /// <summary>Channels, height and width the network was trained on, as the run's preprocessing makes them.</summary>
    private static (int Channels, int Height, int Width) InputSize(DataOptions data)
    {
        if (data.Format != DataFormat.Idx && data.ImageHeight > 0 && data.ImageWidth > 0)
        {
            return (data.Channels, data.ImageHeight, data.ImageWidth);
        }
        using var source = ImageSourceFactory.OpenTraining(data, NullLogger.Instance);
        var preprocessor = ImageSourceFactory.Preprocessor(source, data);
        return (preprocessor.Channels, preprocessor.Height, preprocessor.Width);
    }

    public void Dispose() => Network.Dispose();
}
