using TorchSharp;
using System.Diagnostics;
using Leap.Collectives;
using Leap.Training.Data;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// One rank's step with the classifier replicated on every rank (Training:Distributed:Classifier = Replicated, or Auto
/// for a small classifier): plain data parallelism, as PyTorch DDP does it, with LEAP on top.
/// <list type="number">
/// <item>Forward this rank's slice of the global batch; cosine logits against every class; LEAP alpha keyed by the
/// samples' global indices and class ids (the same draws as one process); margin; cross-entropy over the slice.</item>
/// <item>Backward of loss / N through classifier and backbone: every gradient is this rank's share of the global
/// batch's mean loss.</item>
/// <item>One sum all-reduce (<see cref="GradientReductionBuffer"/>, extras gathered in a <see cref="FusedSum"/>) carries every gradient, the batch-norm running statistics,
/// the zero-padded global batch the centre tracker observes (<see cref="PaddedGlobalBatch"/>), the loss, the cloud
/// sample count and the stop request. The sharded step needs four collectives for the same (all-gather, distributed
/// softmax, dF with statistics, gradients); at a few milliseconds a step that is the difference (#17).</item>
/// <item>The summed loss decides the skip of a non-finite step on every rank alike (the sum is bitwise identical
/// everywhere); otherwise the optimizer steps.</item>
/// </list>
/// The gradients are views into the all-reduced tensor (<see cref="GradientReductionBuffer"/>): no concatenation, no
/// copy back, one collective whatever the model's size (the ring cuts it into chunks). Every rank ends with the same classifier and backbone, so checkpoints of the
/// rank folders hold identical copies (<see cref="Checkpoints.CheckpointMeta.ReplicatedClassifier"/>).
/// </summary>
public sealed class ReplicatedClassifierStep : IStepRunner, IDisposable
{
    private readonly TrainingSession _session;
    private readonly ITrainingBatches _batches;
    private readonly EpochPlan _plan;
    private readonly ICollectives _collectives;
    private readonly RunningStatisticsAverage _runningStatistics;
    private readonly GradientReductionBuffer _buffer = new();

    public ReplicatedClassifierStep(TrainingSession session, ITrainingBatches batches, EpochPlan plan, ICollectives collectives)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(collectives);
        if (!session.Shard.IsReplicated || session.Shard.WorldSize != collectives.WorldSize || session.Shard.Rank != collectives.Rank)
        {
            throw new ArgumentException(
                $"The replicated step needs a session holding every class on rank {collectives.Rank} of {collectives.WorldSize} (ClassShard.Replicated); it holds {session.Shard}.", nameof(session));
        }
        if (session.PartialFc is not null)
        {
            throw new ArgumentException("The replicated step does not run partial FC (Loss:SampleRate < 1): use the sharded step.", nameof(session));
        }
        _session = session;
        _batches = batches;
        _plan = plan;
        _collectives = collectives;
        _runningStatistics = new RunningStatisticsAverage(collectives);
    }

    public bool StopsTogether => true;

    /// <summary>Gradients the step had to copy into the reduction buffer (the first step binds every one; later steps none).</summary>
    public long GradientRebinds => _buffer.Rebinds;

    public StepOutcome Run(long step, bool stopRequested = false)
    {
        var clock = Stopwatch.StartNew();
        var phases = new StepPhases();
        using var scope = NewDisposeScope();
        var session = _session;
        int epoch = _plan.EpochOf(step);
        var ((images, labels, sourceIndices, wait), rate) = StepBatch.Take(session, _batches, step);
        phases.Mark("data");

        var embeddings = session.Network.forward(images.to(session.Device));
        phases.Mark("forward");
        var (cosine, columnLabels, columnIds, _) = ClassifierColumns.Forward(
            session.Classifier, embeddings, labels, session.ColumnClassIds, session.Shard, null, step);
        var alpha = session.Cloud.Alpha(labels, sourceIndices, columnIds, step, epoch, cosine.dtype, session.Device);
        var logits = session.Margin.Apply(cosine, columnLabels, alpha);
        var loss = nn.functional.cross_entropy(logits, columnLabels);
        long cloudSamples = alpha is null ? 0 : CloudRows.Count(alpha);
        phases.Mark("loss");

        session.Optimizer.zero_grad();
        // Always: whether the step is skipped is only known once every rank's loss is summed.
        using (var share = (1.0 / _collectives.WorldSize).ToScalar())
        {
            loss.mul(share).backward();
        }
        phases.Mark("backward");

        var extras = new FusedSum();
        var scalars = extras.Add(tensor(new[] { loss.detach().cpu().to(ScalarType.Float32).item<float>(), cloudSamples, stopRequested ? 1f : 0f }));
        var batch = PaddedGlobalBatch.Add(extras, embeddings, labels, _collectives.Rank, _collectives.WorldSize);
        var statistics = _runningStatistics.Flatten(session.Network, ScalarType.Float32);
        var statisticsSegment = statistics is null ? (FusedSegment?)null : extras.Add(statistics);
        var summed = _buffer.AllReduce(_collectives, [.. session.Network.parameters(), .. session.Classifier.parameters()], extras);
        if (statisticsSegment is { } segment)
        {
            _runningStatistics.AssignAverage(session.Network, segment.Of(summed));
        }
        var totals = scalars.Of(summed);
        double globalLoss = totals[0].item<float>() / (double)_collectives.WorldSize;
        int globalCloudSamples = (int)Math.Round(totals[1].item<float>());
        bool stopAgreed = totals[2].item<float>() > 0;
        var (globalEmbeddings, globalLabels) = PaddedGlobalBatch.Read(summed, batch, embeddings.dtype);
        phases.Mark("gradient all-reduce");

        bool skipped = !double.IsFinite(globalLoss);
        if (skipped)
        {
            session.NonFiniteSteps++;
            session.Optimizer.zero_grad();
        }
        else
        {
            session.Optimizer.step();
            phases.Mark("optimizer");
        }
        return new StepOutcome(step, epoch, globalLoss, rate, skipped, globalCloudSamples,
            globalEmbeddings.MoveToOuterDisposeScope(), globalLabels.MoveToOuterDisposeScope(), clock.Elapsed, wait, stopAgreed, phases);
    }

    public void Dispose() => _buffer.Dispose();
}
