using TorchSharp;
using TorchSharp.Modules;
using Leap.Core.Augmentation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>Class weights W [C, D]; forward gives cosine logits norm(f) norm(W)^T [B, C].</summary>
public sealed class CosineClassifier : Module<Tensor, Tensor>
{
    private readonly Parameter _weight;

    /// <param name="classCount">Rows held here.</param>
    /// <param name="dimension">Feature size D.</param>
    /// <param name="firstClass">Global class id of row 0 (a shard of a model-parallel classifier).</param>
    /// <param name="seed">Row c is initialised with N(0, 0.01^2) draws keyed by (seed, global class id, column), so a
    /// shard's rows equal the same rows of the unsharded classifier.</param>
    public CosineClassifier(int classCount, int dimension, int firstClass = 0, long seed = 0)
        : this(CounterInitialised(classCount, dimension, firstClass, seed), firstClass)
    {
    }

    /// <param name="weight">The initial rows [C, D]; the classifier takes over its storage (the tensor becomes invalid).</param>
    /// <param name="firstClass">Global class id of row 0.</param>
    public CosineClassifier(Tensor weight, int firstClass = 0) : base(nameof(CosineClassifier))
    {
        ArgumentNullException.ThrowIfNull(weight);
        _weight = Parameter(weight);
        ClassCount = (int)_weight.shape[0];
        FirstClass = firstClass;
        RegisterComponents();
    }

    /// <summary>Rows of at most this many elements are drawn at a time, so the draws' managed buffer stays 16 MB however
    /// large the classifier (a whole 1M x 512 one would be 2 GB on top of the weight).</summary>
    private const long InitialisationChunkElements = 1 << 22;

    private static Tensor CounterInitialised(int classCount, int dimension, int firstClass, long seed)
    {
        ulong key = CounterNormal.StepKey(unchecked((ulong)seed) ^ 0xC1A55F1E7D5EEDUL, -1);
        var weight = empty([classCount, dimension], ScalarType.Float32);
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        using var dimensionScalar = dimension.ToScalar();
        using var columns = arange(zero, dimensionScalar, one, ScalarType.Int64);
        using var initialScale = 0.01.ToScalar();
        long rowsPerChunk = Math.Max(1, InitialisationChunkElements / Math.Max(1, dimension));
        for (long start = 0; start < classCount; start += rowsPerChunk)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(rowsPerChunk, classCount - start);
            using var first = (firstClass + start).ToScalar();
            using var end = (firstClass + start + count).ToScalar();
            var rows = arange(first, end, one, ScalarType.Int64);
            weight.narrow(0, start, count).copy_(CounterNormal.Sample(key, rows, columns, ScalarType.Float32).mul(initialScale));
        }
        return weight;
    }

    public int FirstClass { get; }

    public int ClassCount { get; }
    public Parameter Weight => _weight;

    public override Tensor forward(Tensor features) => Cosine(features, _weight);

    /// <summary>norm(features) norm(weight)^T for any rows of a classifier (all of them, or partial FC's sample).</summary>
    public static Tensor Cosine(Tensor features, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var cosine = functional.normalize(features, dim: 1).matmul(functional.normalize(weight, dim: 1).t());
        return cosine.MoveToOuterDisposeScope();
    }
}
