using static TorchSharp.torch;

namespace Leap.Core.Margins;

/// <summary>
/// Turns cosine logits into margin logits: <c>(cosine [B, C], labels [B], alpha) -> logits [B, C]</c>.
/// A label of -1 means "this sample's class lives on another classifier shard": the row gets no margin here.
/// <paramref name="alpha"/> is LEAP's angle perturbation (null for the baseline), shaped [B, C] (one draw per
/// class column) or [B, 1] (one draw per sample); rows of head classes hold zeros.
/// </summary>
public interface IMarginTransform
{
    double Scale { get; }
    double Margin { get; }
    Tensor Apply(Tensor cosine, Tensor labels, Tensor? alpha = null);
}
