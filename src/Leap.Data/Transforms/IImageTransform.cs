using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>
/// One step of image preprocessing. Implementations return a new buffer and leave the input untouched; a random
/// transform draws only from <paramref name="key"/>'s generator, never from shared state.
/// </summary>
public interface IImageTransform
{
    ImageBuffer Apply(ImageBuffer image, AugmentationKey key);
}
