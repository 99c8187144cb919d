using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Modeling;
using Leap.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Checkpoints;

/// <summary>
/// Restores a session from the checkpoint a run of another world size wrote: N rank directories of one step, read by a
/// session that holds the shard of rank r of M (M ≠ N, and M = 1 for the whole classifier).
/// <list type="bullet">
/// <item>Replicated state comes from old rank 0: the backbone, its optimizer state, the centre tracker (every rank
/// observed the same global batch, so the trackers are identical), the step and the count of skipped steps.</item>
/// <item>The classifier rows of the new shard, their optimizer state (SGD momentum, Adam moments and step) and their
/// partial-FC momentum are cut from the old shards that hold them (<see cref="ClassShard.For"/> of the old world), or
/// from old rank 0 alone when the old run replicated the classifier (<see cref="CheckpointMeta.ReplicatedClassifier"/>).</item>
/// </list>
/// The same restore moves a job between placements (sharded to replicated and back) at any world size, M = N included.
/// Data order and alpha draws are functions of (seed, step) and the global batch, so the run goes on as if the world
/// size had never changed: N workers, then M, equal one process (ReshardedResumeEquivalenceTests).
/// </summary>
public static class ReshardedCheckpoint
{
    /// <param name="rankDirectories">The checkpoint directory of every old rank, ordered by rank.</param>
    /// <param name="step">The step those checkpoints are of (the committed step).</param>
    /// <param name="trainingState">False for a session that only evaluates or exports: only the backbone and the
    /// classifier rows are read, not the optimizer state (no old rank's optimizer.bin is loaded), the partial-FC
    /// momentum or the centre tracker and refresh state (a run whose centres lived in the centre service has no
    /// tracker.bin).</param>
    /// <returns>Old rank 0's directory.</returns>
    /// <exception cref="InvalidOperationException">A directory is missing, of another step, or of another model.</exception>
    public static string Restore(TrainingSession session, IReadOnlyList<string> rankDirectories, long step, bool trainingState = true)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rankDirectories);
        if (rankDirectories.Count < 1)
        {
            throw new ArgumentException("A re-sharded restore needs the checkpoint of at least one rank.", nameof(rankDirectories));
        }
        var metas = new CheckpointMeta[rankDirectories.Count];
        for (int k = 0; k < metas.Length; k++)
        {
            string dir = rankDirectories[k];
            var meta = CheckpointStore.ReadMeta(dir)
                ?? throw new InvalidOperationException($"{dir} is not a complete checkpoint (rank {k} of {metas.Length}): it has no {CheckpointStore.MetaFile}.");
            session.EnsureCompatible(dir, meta);
            if (meta.Step != step)
            {
                throw new InvalidOperationException($"{dir} is the checkpoint of step {meta.Step}, not of the step {step} being resumed (rank {k} of {metas.Length}).");
            }
            metas[k] = meta;
        }
        bool oldReplicated = metas[0].ReplicatedClassifier;
        if (metas.Any(m => m.ReplicatedClassifier != oldReplicated))
        {
            throw new InvalidOperationException($"The checkpoints of step {step} disagree on whether the classifier was replicated; they are not of one run.");
        }

        string first = rankDirectories[0];
        session.Network.LoadWeights(Path.Combine(first, "network.bin"));
        if (trainingState)
        {
            session.LoadCentres(first);
        }
        var target = session.Shard;
        var rowState = new ClassifierRowState(session);
        for (int k = 0; k < metas.Length; k++)
        {
            if (oldReplicated && k > 0)
            {
                // Every old rank holds the same rows and state; rank 0's are read.
                break;
            }
            var old = oldReplicated ? ClassShard.Replicated(target.TotalClasses, k, metas.Length) : ClassShard.For(target.TotalClasses, k, metas.Length);
            long from = Math.Max(old.Start, target.Start);
            long to = Math.Min(old.Start + old.Count, target.Start + target.Count);
            bool overlaps = from < to;
            // Old rank 0 is read even without rows for this shard: it holds the backbone's optimizer state.
            if (!overlaps && !(trainingState && k == 0))
            {
                continue;
            }
            string dir = rankDirectories[k];
            using var scratch = trainingState ? new ScratchOptimizer(session, old.Count) : null;
            scratch?.Load(Path.Combine(dir, "optimizer.bin"));
            if (k == 0)
            {
                scratch?.CopyBackboneStateTo(session.Optimizer);
            }
            if (!overlaps)
            {
                continue;
            }
            long count = to - from;
            // Dispose scopes around the narrow views: left to the finalizer, one can be freed while copy_ reads it.
            using (no_grad())
            using (NewDisposeScope())
            using (var part = new CosineClassifier(zeros(old.Count, session.Options.Model.EmbeddingDimension), old.Start))
            {
                part.load(Path.Combine(dir, "classifier.bin"));
                session.Classifier.Weight.narrow(0, from - target.Start, count).copy_(part.Weight.narrow(0, from - old.Start, count));
            }
            if (scratch is null)
            {
                continue;
            }
            if (session.PartialFc is not null)
            {
                using var momentum = Tensor.Load(Path.Combine(dir, "classifier-momentum.bin"));
                using var views = NewDisposeScope();
                session.PartialFc.Optimizer.Buffer.narrow(0, from - target.Start, count).copy_(momentum.narrow(0, from - old.Start, count));
            }
            else
            {
                rowState.Take(scratch.ClassifierState, from - old.Start, from - target.Start, count);
            }
        }
        rowState.AssignTo(session.Optimizer);
        session.Step = metas[0].Step;
        session.NonFiniteSteps = metas[0].NonFiniteSteps;
        return first;
    }

    /// <summary>
    /// An optimizer of the session's kind over stand-in parameters of an old rank's shapes (the backbone's, and, without
    /// partial FC, that rank's classifier rows last), to read that rank's optimizer.bin.
    /// </summary>
    private sealed class ScratchOptimizer : IDisposable
    {
        private static Parameter StandIn(Tensor values)
        {
            var parameter = new Parameter(values);
            parameter.DetachFromDisposeScope();
            return parameter;
        }

        private readonly List<Parameter> _parameters;
        private readonly OptimizerHelper _optimizer;
        private readonly int _backbone;

        public ScratchOptimizer(TrainingSession session, int oldRows)
        {
            // The zeros are temporaries of a scope (left to the finalizer, one could be freed while its Parameter is made).
            using (NewDisposeScope())
            {
                _parameters = [.. session.Network.parameters().Select(p => StandIn(zeros_like(p, device: CPU)))];
                if (session.PartialFc is null)
                {
                    _parameters.Add(StandIn(zeros(oldRows, session.Options.Model.EmbeddingDimension)));
                }
            }
            _backbone = session.PartialFc is null ? _parameters.Count - 1 : _parameters.Count;
            _optimizer = OptimizerFactory.Create(session.Options.Optimizer, _parameters);
        }

        public OptimizerState ClassifierState => _optimizer.state_dict().State[_backbone];

        public void Load(string path) => OptimizerStateFile.Load(_optimizer, path);

        /// <summary>Copies the backbone parameters' state (the optimizer's first parameters, in the same order) into <paramref name="target"/>.</summary>
        public void CopyBackboneStateTo(OptimizerHelper target)
        {
            var source = _optimizer.state_dict().State;
            var destination = target.state_dict().State;
            for (int i = 0; i < _backbone; i++)
            {
                var device = target.parameters().ElementAt(i).device;
                // A scope for the detach/to temporaries (left to the finalizer they can be freed mid-clone); the copies
                // the target's state keeps are taken out of it.
                using var scope = NewDisposeScope();
                var copies = ParameterOptimizerState.Tensors(source[i]).Select(t => t?.detach().to(device).clone().DetachFromDisposeScope()).ToArray();
                ParameterOptimizerState.Assign(destination[i], copies, ParameterOptimizerState.StepCount(source[i]));
            }
        }

        public void Dispose()
        {
            _optimizer.Dispose();
            foreach (var p in _parameters)
            {
                p.Dispose();
            }
        }
    }

    /// <summary>The new shard's classifier optimizer state, assembled row range by row range from the old shards.</summary>
    private sealed class ClassifierRowState(TrainingSession session)
    {
        private Tensor?[]? _tensors;
        private long _stepCount;

        public void Take(OptimizerState old, long oldRow, long newRow, long count)
        {
            var source = ParameterOptimizerState.Tensors(old);
            _tensors ??= [.. source.Select(t => t is null ? null : zeros(session.Shard.Count, session.Options.Model.EmbeddingDimension, t.dtype, session.Device))];
            _stepCount = ParameterOptimizerState.StepCount(old);
            for (int i = 0; i < source.Length; i++)
            {
                if ((source[i] is null) != (_tensors[i] is null))
                {
                    throw new InvalidOperationException("The old ranks' classifier optimizer states differ in kind (one rank has state another has not); the checkpoints are not of one step of one run.");
                }
                using var views = NewDisposeScope();
                _tensors[i]?.narrow(0, newRow, count).copy_(source[i]!.narrow(0, oldRow, count));
            }
        }

        public void AssignTo(OptimizerHelper optimizer)
        {
            if (_tensors is not null)
            {
                ParameterOptimizerState.Assign(optimizer.state_dict().State[^1], _tensors, _stepCount);
            }
        }
    }
}
