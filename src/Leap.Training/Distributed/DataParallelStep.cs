using System.Diagnostics;
using Leap.Collectives;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Optimization;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// One rank's step of the distributed design: the backbone is replicated (data parallel), the classifier is split by
/// class range (model parallel).
/// <list type="number">
/// <item>Forward this rank's slice of the global batch: f_r [B, D].</item>
/// <item>All-gather embeddings, labels and sample indices, in one message (<see cref="GlobalBatchGather"/>): F [N B, D] in
/// rank order (= the single-process batch).</item>
/// <item>Cosine logits against this rank's rows; LEAP alpha for those columns, keyed by global class id.</item>
/// <item>Exact distributed softmax cross-entropy; backward gives this shard's complete W_r gradient and a partial dF.</item>
/// <item>All-reduce dF (sum), keep this rank's rows, backward through the backbone; sum backbone gradients over ranks
/// in buckets; optimizer step. With Training:Distributed:OverlapGradients the backbone runs stage by stage
/// (<see cref="StagedPass"/>) and each stage's buckets are all-reduced in the background while the earlier stages'
/// backward runs (<see cref="OverlappedGradientSum"/>); otherwise after the whole backward (<see cref="GradientAllReduce"/>).</item>
/// <item>Average the batch-norm running statistics over ranks, so the backbone replicas stay identical (in dF's
/// all-reduce: three collectives per step, plus one per gradient bucket).</item>
/// </list>
/// A rank asked to stop says so in the step's all-gather (<see cref="GlobalBatchGather"/>: one extra element), so every rank learns of it in the
/// same step and all of them end training after it (<see cref="StepOutcome.StopAgreed"/>): their last checkpoints are
/// of the same step, which the coordinator can commit.
/// Every rank observes the same global F, so the centre trackers stay identical without extra communication.
/// </summary>
public sealed class DataParallelStep(TrainingSession session, ITrainingBatches batches, EpochPlan plan, ICollectives collectives) : IStepRunner
{
    private readonly GradientAllReduce _gradients = new(collectives);
    private readonly RunningStatisticsAverage _runningStatistics = new(collectives);
    private readonly IReadOnlyList<Modeling.NetworkStage>? _stages = session.Options.Distributed.OverlapGradients ? session.Network.Stages() : null;

    public bool StopsTogether => true;

    /// <summary>
    /// Measured in the last step: the time the training thread spent on the gradient all-reduces after the backward
    /// (without overlap all of them, with flattening and copying back; with overlap only the wait for what the backward
    /// did not hide).
    /// </summary>
    public TimeSpan LastGradientWait { get; private set; }

    public StepOutcome Run(long step, bool stopRequested = false)
    {
        if (session.Shard.IsReplicated)
        {
            throw new InvalidOperationException($"The sharded step needs a classifier shard; this session replicates every class ({session.Shard}): use ReplicatedClassifierStep.");
        }
        var clock = Stopwatch.StartNew();
        var phases = new StepPhases();
        using var scope = NewDisposeScope();
        int epoch = plan.EpochOf(step);
        var ((images, labels, sourceIndices, wait), rate) = StepBatch.Take(session, batches, step);
        phases.Mark("data");
        var pass = _stages is null ? null : StagedPass.Forward(_stages, images.to(session.Device));
        var local = pass?.Output ?? session.Network.forward(images.to(session.Device));
        phases.Mark("forward");
        var (gathered, globalLabels, globalIndices, stopAgreed) = GlobalBatchGather.Gather(collectives, local, labels, sourceIndices, stopRequested);
        var features = gathered.to(session.Device).requires_grad_(true);
        phases.Mark("gather");

        var (cosine, localLabels, columnIds, sampled) = ClassifierColumns.Forward(
            session.Classifier, features, globalLabels, session.ColumnClassIds, session.Shard, session.PartialFc, step);
        var alpha = session.Cloud.Alpha(globalLabels, globalIndices, columnIds, step, epoch, cosine.dtype, session.Device);
        var logits = session.Margin.Apply(cosine, localLabels, alpha);
        var (loss, surrogate) = DistributedSoftmaxCrossEntropy.Compute(logits, localLabels, collectives);
        int cloudSamples = alpha is null ? 0 : (int)CloudRows.Count(alpha);
        phases.Mark("loss");

        session.Optimizer.zero_grad();
        bool skipped = !double.IsFinite(loss);
        if (skipped)
        {
            session.NonFiniteSteps++;
        }
        else
        {
            surrogate.backward();
            phases.Mark("classifier backward");
            // One sum all-reduce for dF and the batch-norm running statistics (final since the forward pass).
            var featureGrad = features.grad!.detach().cpu().reshape(-1);
            long gradElements = featureGrad.numel();
            var statistics = _runningStatistics.Flatten(session.Network, featureGrad.dtype);
            var fused = (statistics is null ? featureGrad : cat([featureGrad, statistics], 0)).contiguous();
            collectives.AllReduceAsync(fused, ReduceOp.Sum).GetAwaiter().GetResult();
            phases.Mark("feature gradient all-reduce");
            var summedGrad = fused.narrow(0, 0, gradElements).view_as(features);
            long rows = local.shape[0];
            var localGrad = summedGrad.narrow(0, collectives.Rank * rows, rows).to(session.Device);
            using var overlapped = pass is null ? null : new OverlappedGradientSum(collectives, _gradients.BucketBytes);
            if (pass is null)
            {
                local.backward([localGrad]);
            }
            else
            {
                pass.Backward(localGrad, stage => overlapped!.Start(stage.Parameters));
            }
            phases.Mark("backward");
            if (statistics is not null)
            {
                // After backward: batch norm's backward holds its running statistics and refuses them modified in place.
                _runningStatistics.AssignAverage(session.Network, fused.narrow(0, gradElements, statistics.numel()));
            }
            if (overlapped is null)
            {
                long start = Stopwatch.GetTimestamp();
                _gradients.SumGradients(session.Network.parameters().ToList());
                LastGradientWait = Stopwatch.GetElapsedTime(start);
            }
            else
            {
                overlapped.Finish();
                LastGradientWait = overlapped.Waited;
            }
            phases.Mark("gradient all-reduce");
            session.Optimizer.step();
            if (sampled is not null)
            {
                session.PartialFc!.Update(session.Classifier.Weight, sampled, rate);
            }
            phases.Mark("optimizer");
        }

        if (skipped)
        {
            // The forward pass updated every rank's batch-norm running statistics from its slice, step taken or not.
            _runningStatistics.Average(session.Network);
        }
        return new StepOutcome(step, epoch, loss, rate, skipped, cloudSamples,
            gathered.MoveToOuterDisposeScope(), globalLabels.MoveToOuterDisposeScope(), clock.Elapsed, wait, stopAgreed, phases);
    }
}
