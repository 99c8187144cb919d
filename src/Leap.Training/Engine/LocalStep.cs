using System.Diagnostics;
using Leap.Training.Data;
using Leap.Training.Distributed;
using Leap.Training.Optimization;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>A single-process step: forward, margin (+ LEAP alpha), cross-entropy, backward, optimizer step.</summary>
public sealed class LocalStep(TrainingSession session, ITrainingBatches batches, EpochPlan plan) : IStepRunner
{
    public StepOutcome Run(long step, bool stopRequested = false)
    {
        var clock = Stopwatch.StartNew();
        var phases = new StepPhases();
        using var scope = NewDisposeScope();
        int epoch = plan.EpochOf(step);
        var ((images, labels, sourceIndices, wait), rate) = StepBatch.Take(session, batches, step);
        images = images.to(session.Device);
        phases.Mark("data");
        var embeddings = session.Network.forward(images);
        phases.Mark("forward");
        var (cosine, columnLabels, columnIds, sampled) = ClassifierColumns.Forward(
            session.Classifier, embeddings, labels, session.ColumnClassIds, session.Shard, session.PartialFc, step);
        var alpha = session.Cloud.Alpha(labels, sourceIndices, columnIds, step, epoch, cosine.dtype, session.Device);
        var logits = session.Margin.Apply(cosine, columnLabels, alpha);
        var loss = nn.functional.cross_entropy(logits, columnLabels);
        double lossValue = loss.item<float>();
        int cloudSamples = alpha is null ? 0 : (int)CloudRows.Count(alpha);
        phases.Mark("loss");

        session.Optimizer.zero_grad();
        bool skipped = !double.IsFinite(lossValue);
        if (skipped)
        {
            session.NonFiniteSteps++;
        }
        else
        {
            loss.backward();
            phases.Mark("backward");
            session.Optimizer.step();
            if (sampled is not null)
            {
                session.PartialFc!.Update(session.Classifier.Weight, sampled, rate);
            }
            phases.Mark("optimizer");
        }
        return new StepOutcome(step, epoch, lossValue, rate, skipped, cloudSamples,
            embeddings.detach().cpu().MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), clock.Elapsed, wait, Phases: phases);
    }
}
