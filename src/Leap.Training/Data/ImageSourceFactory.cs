using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using Leap.Training.Configuration;
using Microsoft.Extensions.Logging;

namespace Leap.Training.Data;

/// <summary>The one place <see cref="DataOptions"/> become an <see cref="IImageSource"/>, its preprocessing and its per-sample augmentation.</summary>
public static partial class ImageSourceFactory
{
    /// <summary>Data:Normalisation = ImageNet: per-channel mean of RGB values in [0, 1].</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Data:Normalisation = ImageNet: per-channel standard deviation of RGB values in [0, 1].</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Opens the training source of <paramref name="data"/>.</summary>
    /// <exception cref="FileNotFoundException">The path is missing; the message names it (and suggests a format when the layout says which).</exception>
    /// <exception cref="InvalidDataException">The index or a header is corrupt; the message names the file.</exception>
    public static IImageSource OpenTraining(DataOptions data, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(logger);
        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = data.Channels == 1 ? ImageChannels.Grey : ImageChannels.Rgb });
        switch (data.Format)
        {
            case DataFormat.Idx:
                return IdxImageSource.Open(data.Path, "train");
            case DataFormat.RecordIo:
                return RecordIoImageSource.Open(data.Path, decoder);
            case DataFormat.ImageFolder:
                var folders = FileImageSource.FromIdentityFolders(data.Path, decoder, out var empty);
                if (empty.Count > 0)
                {
                    EmptyFolders(logger, empty.Count, data.Path, string.Join(", ", empty.Take(10).Select(Path.GetFileName)));
                }

                return folders;
            case DataFormat.Market1501:
                return FileImageSource.FromMarket1501(data.Path, decoder);
            default:
                throw new ArgumentOutOfRangeException(nameof(data), data.Format, "Unknown Data:Format.");
        }
    }

    /// <summary>The IDX test files (t10k) beside the training files; null for other formats (they hold images out instead).</summary>
    public static IImageSource? OpenIdxTest(DataOptions data) =>
        data.Format == DataFormat.Idx ? IdxImageSource.Open(data.Path, "t10k") : null;

    /// <summary>Decode, channel conversion, resize and normalisation of a source's samples, as configured.</summary>
    public static SamplePreprocessor Preprocessor(IImageSource source, DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(data);
        var (mean, std) = InputNormalisation(data);
        return data.Format == DataFormat.Idx
            ? new SamplePreprocessor(source, 1, 0, 0, mean, std) // IDX keeps its size.
            : new SamplePreprocessor(source, data.Channels, data.ImageHeight, data.ImageWidth, mean, std);
    }

    /// <summary>
    /// The per-channel mean and std a run's images are normalised with, x = (p - mean) / std for p in [0, 1]: IDX (one
    /// channel) with the default normalisation uses Fashion-MNIST/MNIST-scale statistics (0.5, 0.35); any format with
    /// SymmetricUnit 0.5/0.5 and with ImageNet ImageNet's (their average for one channel).
    /// </summary>
    public static (float[] Mean, float[] Std) InputNormalisation(DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Format == DataFormat.Idx)
        {
            return data.Normalisation == ImageNormalisation.Default
                ? ([0.5f], [0.35f])
                : (Mean(data.Normalisation, 1), Std(data.Normalisation, 1));
        }

        return (Mean(data.Normalisation, data.Channels), Std(data.Normalisation, data.Channels));
    }

    /// <summary>
    /// The per-sample training augmentation <paramref name="options"/> ask for (random resized crop to the prepared size,
    /// then colour jitter), drawn from <paramref name="seed"/>; null when both are off.
    /// </summary>
    public static SampleAugmentation? Augmentation(AugmentationOptions options, SamplePreprocessor preprocessor, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(preprocessor);
        var steps = new List<IImageTransform>();
        if (options.RandomResizedCrop > 0)
        {
            steps.Add(new RandomResizedCrop(preprocessor.Height, preprocessor.Width, options.RandomResizedCrop));
        }

        if (options.ColourJitter > 0)
        {
            steps.Add(new ColourJitter(options.ColourJitter));
        }

        return steps.Count == 0 ? null : new SampleAugmentation(new ImageTransformPipeline([.. steps]), seed);
    }

    /// <summary>The per-channel mean and std an image format (not IDX) is normalised with, e.g. for a reference pipeline that must match.</summary>
    public static (float[] Mean, float[] Std) ImageNormalisationOf(DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return (Mean(data.Normalisation, data.Channels), Std(data.Normalisation, data.Channels));
    }

    private static float[] Mean(ImageNormalisation normalisation, int channels) => normalisation == ImageNormalisation.ImageNet
        ? channels == 3 ? [.. ImageNetMean] : [ImageNetMean.Average()]
        : Enumerable.Repeat(0.5f, channels).ToArray();

    private static float[] Std(ImageNormalisation normalisation, int channels) => normalisation == ImageNormalisation.ImageNet
        ? channels == 3 ? [.. ImageNetStd] : [ImageNetStd.Average()]
        : Enumerable.Repeat(0.5f, channels).ToArray();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Count} identity folders without images under {Root}: {Names}")]
    private static partial void EmptyFolders(ILogger logger, int count, string root, string names);
}
