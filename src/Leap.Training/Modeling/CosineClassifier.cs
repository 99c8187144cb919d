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
    public CosineClassifier(int classCount, int dimension, int firstClass = 0, long seed = 0) : base(nameof(CosineClassifier))
    {
        using (var scope = NewDisposeScope())
        {
            var rows = arange(firstClass, firstClass + classCount, ScalarType.Int64);
            var columns = arange(dimension, ScalarType.Int64);
            ulong key = CounterNormal.StepKey(unchecked((ulong)seed) ^ 0xC1A55F1E7D5EEDUL, -1);
            var initial = CounterNormal.Sample(key, rows, columns, ScalarType.Float32) * 0.01;
            _weight = Parameter(initial.MoveToOuterDisposeScope());
        }
        ClassCount = classCount;
        FirstClass = firstClass;
        RegisterComponents();
    }

    public int FirstClass { get; }

    public int ClassCount { get; }
    public Parameter Weight => _weight;

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var cosine = functional.normalize(features, dim: 1).matmul(functional.normalize(_weight, dim: 1).t());
        return cosine.MoveToOuterDisposeScope();
    }
}
