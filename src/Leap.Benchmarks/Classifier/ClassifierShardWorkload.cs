using TorchSharp;
using System.Diagnostics;
using Leap.Collectives;
using Leap.Core.Margins;
using Leap.Training.Distributed;
using Leap.Training.Modeling;
using Leap.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Benchmarks.Classifier;

/// <summary>
/// The classifier part of one rank's training step, with random embeddings in place of the backbone: all-gather of
/// this rank's embeddings and labels, cosine logits on its shard (all rows, or partial FC's sample), CosFace margin,
/// <see cref="DistributedSoftmaxCrossEntropy"/> forward and backward, all-reduce of the embedding gradient, and the
/// SGD update of the shard (torch's SGD, or partial FC's row-sparse SGD).
/// </summary>
public sealed class ClassifierShardWorkload : IDisposable
{
    private const long Seed = 3;
    private readonly ClassifierBenchSettings _settings;
    private readonly ICollectives _collectives;
    private readonly ClassShard _shard;
    private readonly CosineClassifier _classifier;
    private readonly ScalarSafeSgd? _sgd;
    private readonly PartialFc? _partialFc;
    private readonly Tensor _columnIds;
    private readonly CosFaceMargin _margin = new(64, 0.35);

    public ClassifierShardWorkload(ClassifierBenchSettings settings, ICollectives collectives)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _collectives = collectives ?? throw new ArgumentNullException(nameof(collectives));
        _shard = ClassShard.For(settings.Classes, collectives.Rank, collectives.WorldSize);
        using (var generator = new Generator(unchecked((ulong)(Seed * 7919 + _shard.Rank))))
        {
            using var initialScale = 0.01.ToScalar();
            _classifier = new CosineClassifier(randn([_shard.Count, settings.Dimension], generator: generator).mul_(initialScale), _shard.Start);
        }
        using (var first = _shard.Start.ToScalar())
        using (var end = (_shard.Start + _shard.Count).ToScalar())
        using (var one = 1.ToScalar())
        {
            _columnIds = arange(first, end, one, ScalarType.Int64);
        }
        if (settings.SampleRate < 1)
        {
            _partialFc = new PartialFc(new PartialFcSampler(settings.SampleRate, Seed),
                new RowSparseSgd(_shard.Count, settings.Dimension, Momentum, WeightDecay, CPU), _shard);
        }
        else
        {
            _sgd = new ScalarSafeSgd(_classifier.parameters(), LearningRate, Momentum, WeightDecay);
        }
    }

    private const double LearningRate = 0.1;
    private const double Momentum = 0.9;
    private const double WeightDecay = 5e-4;

    public int ShardRows => _shard.Count;

    /// <summary>Runs one step; returns its wall time, the loss and the number of classifier rows it used.</summary>
    public (TimeSpan Elapsed, double Loss, long Rows) Run(long step)
    {
        _collectives.BarrierAsync().GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int local = _settings.Batch / _settings.Workers;
        using var generator = new Generator(unchecked((ulong)(Seed + step * 1_000_003 + _shard.Rank)));
        var embeddings = randn([local, _settings.Dimension], generator: generator);
        var labels = randint(0, _settings.Classes, [local], ScalarType.Int64, generator: generator);
        var features = Gather(embeddings).requires_grad_(true);
        var globalLabels = Gather(labels);

        var (cosine, localLabels, _, sampled) = ClassifierColumns.Forward(_classifier, features, globalLabels, _columnIds, _shard, _partialFc, step);
        var logits = _margin.Apply(cosine, localLabels);
        var (loss, surrogate) = DistributedSoftmaxCrossEntropy.Compute(logits, localLabels, _collectives);
        _sgd?.zero_grad();
        surrogate.backward();
        var featureGrad = features.grad!.contiguous();
        _collectives.AllReduceAsync(featureGrad, ReduceOp.Sum).GetAwaiter().GetResult();
        if (sampled is null)
        {
            _sgd!.step();
        }
        else
        {
            _partialFc!.Update(_classifier.Weight, sampled, LearningRate);
        }
        return (clock.Elapsed, loss, cosine.shape[1]);
    }

    private Tensor Gather(Tensor tensor) => _collectives.AllGatherAsync(tensor.contiguous()).GetAwaiter().GetResult();

    public void Dispose()
    {
        _sgd?.Dispose();
        _partialFc?.Dispose();
        _classifier.Dispose();
        _columnIds.Dispose();
    }
}
