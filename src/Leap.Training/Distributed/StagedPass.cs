using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// A forward pass run stage by stage (<see cref="EmbeddingNetwork.Stages"/>), each stage with its own autograd graph:
/// at every boundary the output is detached and marked as requiring a gradient, so the next stage starts from a
/// leaf. <see cref="Backward"/> then runs from the last stage to the first, feeding each stage the gradient its
/// successor left on the boundary, and reports each stage as soon as its parameters' gradients are final. The
/// gradients equal those of one backward through the whole network (the same operations, the same accumulation
/// per parameter).
/// </summary>
public sealed class StagedPass
{
    private readonly IReadOnlyList<NetworkStage> _stages;
    private readonly Tensor[] _inputs;
    private readonly Tensor[] _outputs;

    private StagedPass(IReadOnlyList<NetworkStage> stages, Tensor[] inputs, Tensor[] outputs)
    {
        _stages = stages;
        _inputs = inputs;
        _outputs = outputs;
    }

    /// <summary>Runs the stages on <paramref name="input"/>; the tensors join the caller's dispose scope.</summary>
    public static StagedPass Forward(IReadOnlyList<NetworkStage> stages, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentOutOfRangeException.ThrowIfZero(stages.Count);
        var inputs = new Tensor[stages.Count];
        var outputs = new Tensor[stages.Count];
        var x = input;
        for (int k = 0; k < stages.Count; k++)
        {
            inputs[k] = k == 0 ? x : x.detach().requires_grad_(true);
            x = outputs[k] = stages[k].Forward(inputs[k]);
        }
        return new StagedPass(stages, inputs, outputs);
    }

    /// <summary>The last stage's output: the network's output.</summary>
    public Tensor Output => _outputs[^1];

    /// <summary>
    /// Backward from <see cref="Output"/> with gradient <paramref name="outputGradient"/>, stage by stage;
    /// <paramref name="gradientsFinal"/> is called after each stage's backward, last stage first.
    /// </summary>
    public void Backward(Tensor outputGradient, Action<NetworkStage> gradientsFinal)
    {
        ArgumentNullException.ThrowIfNull(gradientsFinal);
        var gradient = outputGradient;
        for (int k = _stages.Count - 1; k >= 0; k--)
        {
            _outputs[k].backward([gradient]);
            gradientsFinal(_stages[k]);
            if (k > 0)
            {
                gradient = _inputs[k].grad ?? throw new InvalidOperationException($"Stage '{_stages[k].Name}' left no gradient on its input.");
            }
        }
    }
}
