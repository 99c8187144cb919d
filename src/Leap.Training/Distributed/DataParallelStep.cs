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
/// <item>All-gather embeddings, labels and sample indices: F [N B, D] in rank order (= the single-process batch).</item>
/// <item>Cosine logits against this rank's rows; LEAP alpha for those columns, keyed by global class id.</item>
/// <item>Exact distributed softmax cross-entropy; backward gives this shard's complete W_r gradient and a partial dF.</item>
/// <item>All-reduce dF (sum), keep this rank's rows, backward through the backbone; sum backbone gradients over ranks
/// in buckets; optimizer step.</item>
/// <item>Average the batch-norm running statistics over ranks, so the backbone replicas stay identical.</item>
/// </list>
/// A rank asked to stop says so in the sample-index all-gather (one extra element), so every rank learns of it in the
/// same step and all of them end training after it (<see cref="StepOutcome.StopAgreed"/>): their last checkpoints are
/// of the same step, which the coordinator can commit.
/// Every rank observes the same global F, so the centre trackers stay identical without extra communication.
/// </summary>
public sealed class DataParallelStep(TrainingSession session, ITrainingBatches batches, EpochPlan plan, ICollectives collectives) : IStepRunner
{
    private readonly GradientAllReduce _gradients = new(collectives);
    private readonly RunningStatisticsAverage _runningStatistics = new(collectives);

    public bool StopsTogether => true;

    public StepOutcome Run(long step, bool stopRequested = false)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int epoch = plan.EpochOf(step);
        var (images, labels, sourceIndices, wait) = batches.Take(step);
        double rate = session.Schedule.At(step);
        OptimizerFactory.SetLearningRate(session.Optimizer, rate);
        session.Network.train();
        session.Classifier.train();

        if (session.Augmentation.Enabled)
        {
            images = session.Augmentation.Apply(images, sourceIndices.data<long>().ToArray(), step);
        }

        var local = session.Network.forward(images.to(session.Device));
        var gathered = Gather(local.detach().cpu().contiguous());
        var globalLabels = Gather(labels.contiguous());
        var (globalIndices, stopAgreed) = GatherIndicesAndStop(sourceIndices, stopRequested);
        var features = gathered.to(session.Device).requires_grad_(true);

        var (cosine, localLabels, columnIds, sampled) = ClassifierColumns.Forward(
            session.Classifier, features, globalLabels, session.ColumnClassIds, session.Shard, session.PartialFc, step);
        var alpha = session.Cloud.Alpha(globalLabels, globalIndices, columnIds, step, epoch, cosine.dtype, session.Device);
        var logits = session.Margin.Apply(cosine, localLabels, alpha);
        var (loss, surrogate) = DistributedSoftmaxCrossEntropy.Compute(logits, localLabels, collectives);
        int cloudSamples = alpha is null ? 0 : (int)alpha.ne(0).any(1).sum().item<long>();

        session.Optimizer.zero_grad();
        bool skipped = !double.IsFinite(loss);
        if (skipped)
        {
            session.NonFiniteSteps++;
        }
        else
        {
            surrogate.backward();
            var featureGrad = features.grad!.detach().cpu().contiguous();
            collectives.AllReduceAsync(featureGrad, ReduceOp.Sum).GetAwaiter().GetResult();
            long rows = local.shape[0];
            local.backward([featureGrad.narrow(0, collectives.Rank * rows, rows).to(session.Device)]);
            _gradients.SumGradients(session.Network.parameters().ToList());
            session.Optimizer.step();
            if (sampled is not null)
            {
                session.PartialFc!.Update(session.Classifier.Weight, sampled, rate);
            }
        }

        // After the forward pass, taken or skipped: every rank's batch norm updated its running statistics from its slice.
        _runningStatistics.Average(session.Network);
        return new StepOutcome(step, epoch, loss, rate, skipped, cloudSamples,
            gathered.MoveToOuterDisposeScope(), globalLabels.MoveToOuterDisposeScope(), clock.Elapsed, wait, stopAgreed);
    }

    /// <summary>All-gathers this rank's sample indices [B] with its stop request appended: the global indices [N B] and whether any rank asked to stop.</summary>
    private (Tensor Indices, bool StopAgreed) GatherIndicesAndStop(Tensor sourceIndices, bool stopRequested)
    {
        long rows = sourceIndices.shape[0];
        using var flag = tensor(new[] { stopRequested ? 1L : 0L });
        var gathered = Gather(cat([sourceIndices.to(ScalarType.Int64).contiguous(), flag])).view(collectives.WorldSize, rows + 1);
        bool stop = gathered.select(1, rows).any().item<bool>();
        return (gathered.narrow(1, 0, rows).reshape(-1), stop);
    }

    private Tensor Gather(Tensor tensor) => collectives.AllGatherAsync(tensor).GetAwaiter().GetResult();
}
