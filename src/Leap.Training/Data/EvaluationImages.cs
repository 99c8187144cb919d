using Leap.Data.Sources;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Evaluation images of a source streamed through the training decode path: only the slice being embedded is decoded
/// (same preprocessing as training, no augmentation), so an evaluation set of any size costs one slice of memory.
/// A corrupt evaluation image always fails naming its file: substituting it would change the metric.
/// </summary>
public sealed class EvaluationImages : IImageCollection
{
    private readonly BatchDecoder _decoder;
    private readonly int[] _sources;
    private readonly long[] _labels;

    /// <param name="sources">Source sample id of each evaluation image, in evaluation order.</param>
    /// <param name="labels">The run's class id of each.</param>
    public EvaluationImages(BatchDecoder decoder, IReadOnlyList<int> sources, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(labels);
        if (sources.Count != labels.Count)
        {
            throw new ArgumentException($"{sources.Count} images but {labels.Count} labels.", nameof(labels));
        }

        _decoder = decoder;
        _sources = sources.ToArray();
        _labels = labels.ToArray();
    }

    public int Count => _sources.Length;
    public IReadOnlyList<long> Labels => _labels;

    public Tensor Slice(int start, int count)
    {
        var p = _decoder.Preprocessor;
        var pixels = PooledPixels.Rent(count * (long)p.RowSize);
        _decoder.Decode(new ArraySegment<int>(_sources, start, count), pixels);
        return PooledPixels.ToTensor(pixels, [count, p.Channels, p.Height, p.Width]);
    }
}
