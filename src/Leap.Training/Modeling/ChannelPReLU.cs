using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// TorchSharp's PReLU with one slope per channel, initialised to 0.25 (InsightFace's choice), as the face backbones use it.
/// Its constructor fills the slopes through a temporary Scalar (LEAP0003): one native call while the model is built,
/// accepted here in one place rather than at every block.
/// </summary>
internal static class ChannelPReLU
{
    public static PReLU Create(long channels)
    {
#pragma warning disable LEAP0003 // construction only; see the summary
        return PReLU(channels);
#pragma warning restore LEAP0003
    }
}
