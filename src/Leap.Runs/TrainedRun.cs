using System.Text.Json;
using Leap.Runs.Configuration;
using Leap.Coordinator;
using Leap.Core.Statistics;
using Leap.Training.Checkpoints;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Runs;

/// <summary>
/// A finished (or interrupted) run reopened from its directory: its configuration (config.json), its long-tailed
/// training split and test set rebuilt from that configuration, and a session restored from one of its checkpoints. A
/// distributed run (<c>leap launch</c>) is reassembled from its per-rank checkpoints by <see cref="ShardedCheckpointReader"/>.
/// </summary>
public sealed class TrainedRun : IDisposable
{
    private TrainedRun(string directory, TrainingOptions options, RunData data, TrainingSession session, string checkpoint)
    {
        Directory = directory;
        Options = options;
        Data = data;
        Session = session;
        Checkpoint = checkpoint;
    }

    public string Directory { get; }
    public TrainingOptions Options { get; }
    public RunData Data { get; }
    public TrainingSession Session { get; }
    public string Checkpoint { get; }

    /// <summary>"CosFace baseline" or "CosFace + LEAP Full".</summary>
    public string Method => Options.Leap.Variant == LeapVariant.None
        ? $"{Options.Loss.Margin} baseline"
        : $"{Options.Loss.Margin} + LEAP {Options.Leap.Variant}";

    /// <exception cref="ConfigurationException">No or an invalid configuration.</exception>
    /// <exception cref="InvalidOperationException">No such checkpoint (on every rank of a distributed run).</exception>
    public static TrainedRun Open(string directory, CheckpointChoice checkpoint, string? configPath = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ConfigurationException($"--run: directory '{directory}' does not exist.");
        }
        var options = RunConfigFile.Load(directory, configPath);
        string checkpoints = Path.Combine(directory, "checkpoints");
        long? committed = checkpoint.Step ?? CommittedStep(directory);
        int? worldSize = ShardedCheckpointReader.WorldSizeOf(checkpoints, committed);
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }
        var data = RunData.Open(options);
        TrainingSession? session = null;
        try
        {
            session = new TrainingSession(options, data.Train.SamplesPerClass(), data.Shape, new Device(options.Device));
            string restored = worldSize is int world
                ? ShardedCheckpointReader.LoadInto(session, checkpoints, world, committed)
                : committed is long step
                    ? session.Resume(step, centres: false)
                    : session.TryResume(centres: false) ?? throw new InvalidOperationException($"Run '{directory}' has no complete checkpoint under {checkpoints}.");
            return new TrainedRun(directory, options, data, session, restored);
        }
        catch
        {
            session?.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The step the coordinator of a <c>leap launch</c> run last committed (every rank's checkpoint written), from its
    /// state file <c>coordinator/JOB.coordinator.json</c>; null when there is no (single) state file or no commit, and
    /// then the newest step complete on every rank is used.
    /// </summary>
    internal static long? CommittedStep(string directory)
    {
        string folder = Path.Combine(directory, "coordinator");
        string[] states = System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*.coordinator.json") : [];
        if (states.Length != 1)
        {
            return null;
        }

        string job = Path.GetFileName(states[0])[..^".coordinator.json".Length];
        try
        {
            return new CoordinatorStateFile(folder, job).Load().LatestCommitted?.Step;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{states[0]}: not a coordinator state file ({e.Message}).", e);
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        Data.Dispose();
    }
}
