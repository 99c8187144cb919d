using Leap.Training.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch.utils;

namespace Leap.Training.Hooks;

/// <summary>TensorBoard event files (TorchSharp's SummaryWriter): loss, learning rate, sigma^2, cloud class count.</summary>
public sealed class TensorBoardHook(string directory) : ITrainingHook
{
    private SummaryWriter? _writer;

    public void BeforeTrain(TrainingSession session) => _writer ??= tensorboard.SummaryWriter(directory, createRunName: false);

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        if (_writer is null || outcome.Skipped)
        {
            return;
        }
        int step = (int)outcome.Step;
        _writer.add_scalar("train/loss", (float)outcome.Loss, step);
        _writer.add_scalar("train/learning_rate", (float)outcome.LearningRate, step);
        _writer.add_scalar("leap/cloud_samples", outcome.CloudSamples, step);
        var stats = session.Cloud.Source.Statistics;
        if (!double.IsNaN(stats.OverallVariance))
        {
            _writer.add_scalar("leap/overall_variance", (float)stats.OverallVariance, step);
        }
    }

    public void Write(string tag, double value, long step) => _writer?.add_scalar(tag, (float)value, (int)step);
}
