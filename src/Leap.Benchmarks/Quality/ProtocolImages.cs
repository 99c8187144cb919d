using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// A protocol's identity-folder images through the main job's data path: training data is a <see cref="RunData"/>
/// over the whole listing with the protocol's choice of training samples (the rest held out), streamed per batch;
/// evaluation images are decoded a slice at a time with the same preprocessing.
/// </summary>
public sealed class ProtocolImages : IDisposable
{
    private readonly DataOptions _data;
    private readonly int? _centreCrop;
    private readonly IImageSource _evaluationSource;
    private readonly BatchDecoder _evaluationDecoder;

    /// <param name="centreCrop">Side of a centre crop taken before the resize (LFW's 112), or null.</param>
    public ProtocolImages(IdentityFolderListing listing, DataOptions data, int? centreCrop)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(data);
        Listing = listing;
        _data = data;
        _centreCrop = centreCrop;
        _evaluationSource = NewSource();
        _evaluationDecoder = new BatchDecoder(ImageSourceFactory.Preprocessor(_evaluationSource, data), data.DecodeThreads);
    }

    public IdentityFolderListing Listing { get; }

    /// <summary>Training data: the listing's images whose entry of <paramref name="splitLabels"/> is a class (others held out), cut by <paramref name="split"/>.</summary>
    public RunData OpenTraining(IReadOnlyList<int> splitLabels, LongTailOptions split) =>
        RunData.FromSource(new TrainingOptions { Data = _data }, NewSource(), splitLabels, split);

    /// <summary>The listing's images at <paramref name="indices"/>, in that order, labelled with their class ids.</summary>
    public EvaluationImages Images(IReadOnlyList<int> indices) =>
        new(_evaluationDecoder, indices, indices.Select(i => (long)Listing.Images[i].ClassId).ToArray());

    private IImageSource NewSource()
    {
        var files = new FileImageSource(Listing.Images.Select(i => i.Path).ToArray(), Listing.Labels(), Listing.ClassNames.Count,
            new ImageDecoder(new ImageDecoderOptions { Channels = ImageChannels.Rgb }), _data.Path);
        return _centreCrop is int side ? new CentreCroppedSource(files, side, side) : files;
    }

    public void Dispose() => _evaluationSource.Dispose();
}
