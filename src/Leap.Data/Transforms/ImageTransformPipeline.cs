using Leap.Data.Images;

namespace Leap.Data.Transforms;

/// <summary>Transforms applied in order; transform i receives the sample's key with <c>Step = i</c>.</summary>
public sealed class ImageTransformPipeline : IImageTransform
{
    private readonly IImageTransform[] _steps;

    public ImageTransformPipeline(params IImageTransform[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Any(s => s is null))
        {
            throw new ArgumentException("A pipeline step is null.", nameof(steps));
        }

        _steps = steps.ToArray();
    }

    public IReadOnlyList<IImageTransform> Steps => _steps;

    public ImageBuffer Apply(ImageBuffer image, AugmentationKey key)
    {
        ArgumentNullException.ThrowIfNull(image);
        for (int i = 0; i < _steps.Length; i++)
        {
            image = _steps[i].Apply(image, key.ForStep(i));
        }

        return image;
    }

    /// <summary>The training preprocessing of the paper's faces: random crop, random flip, normalise to [-1, 1].</summary>
    public static ImageTransformPipeline FaceTraining(int size = 112) =>
        new(new RandomCrop(size, size), new RandomHorizontalFlip(), ChannelNormalise.SymmetricUnit(3));

    /// <summary>The evaluation preprocessing of the paper's faces: centre crop, normalise to [-1, 1].</summary>
    public static ImageTransformPipeline FaceEvaluation(int size = 112) =>
        new(new CentreCrop(size, size), ChannelNormalise.SymmetricUnit(3));
}
