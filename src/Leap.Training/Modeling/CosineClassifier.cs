using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>Class weights W [C, D]; forward gives cosine logits norm(f) norm(W)^T [B, C].</summary>
public sealed class CosineClassifier : Module<Tensor, Tensor>
{
    private readonly Parameter _weight;

    public CosineClassifier(int classCount, int dimension) : base(nameof(CosineClassifier))
    {
        _weight = Parameter(empty(classCount, dimension));
        using (no_grad())
        {
            init.normal_(_weight, 0.0, 0.01);
        }
        ClassCount = classCount;
        RegisterComponents();
    }

    public int ClassCount { get; }
    public Parameter Weight => _weight;

    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var cosine = functional.normalize(features, dim: 1).matmul(functional.normalize(_weight, dim: 1).t());
        return cosine.MoveToOuterDisposeScope();
    }
}
