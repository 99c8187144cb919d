using Leap.Data.Sources;

namespace Leap.Inference;

/// <summary>
/// Embeds every image of a source with a model, in batches, preprocessed as the model's metadata says (the training
/// decode path: channel conversion, bilinear resize, per-channel normalisation; no augmentation), decoding on every
/// core; the embeddings are L2-normalised. An image that does not decode stops it with an error naming the file.
/// </summary>
public static class SourceEmbedder
{
    /// <summary>[source.Count, D] row-major, each row of unit length (a zero row stays zero).</summary>
    /// <param name="progress">Called with the number of images embedded so far after every batch.</param>
    /// <exception cref="InvalidDataException">An image is corrupt or not an image; the message names it.</exception>
    public static float[] Embed(IEmbeddingModel model, IImageSource source, int batchSize = 64, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var m = model.Metadata;
        var preprocessor = new SamplePreprocessor(source, m.Channels, m.Height, m.Width, m.Mean, m.Std);
        var decoder = new BatchDecoder(preprocessor, Environment.ProcessorCount);
        int dimension = m.EmbeddingDimension;
        var embeddings = new float[(long)source.Count * dimension];
        var pixels = new float[(long)batchSize * preprocessor.RowSize];
        for (int start = 0; start < source.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, source.Count - start);
            decoder.Decode(Enumerable.Range(start, count).ToArray(), pixels);
            var rows = embeddings.AsSpan(start * dimension, count * dimension);
            model.Embed(pixels, count, preprocessor.Height, preprocessor.Width, rows);
            Normalise(rows, dimension);
            progress?.Invoke(start + count);
        }
        return embeddings;
    }

    private static void Normalise(Span<float> rows, int dimension)
    {
        for (int offset = 0; offset < rows.Length; offset += dimension)
        {
            var row = rows.Slice(offset, dimension);
            double norm = 0;
            foreach (float v in row)
            {
                norm += (double)v * v;
            }
            if (norm > 0)
            {
                float scale = (float)(1 / Math.Sqrt(norm));
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] *= scale;
                }
            }
        }
    }
}
