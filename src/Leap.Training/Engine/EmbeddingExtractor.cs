using Leap.Evaluation;
using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>Embeds every image of a set with a network in evaluation mode (no gradient), in batches, in set order.</summary>
public static class EmbeddingExtractor
{
    public static Embeddings Extract(nn.Module<Tensor, Tensor> network, IImageCollection images, Device device, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        float[]? data = null;
        int dimension = 0;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, images.Count - start);
                var features = network.forward(images.Slice(start, count).to(device)).cpu().contiguous();
                if (data is null)
                {
                    dimension = (int)features.shape[1];
                    data = new float[images.Count * (long)dimension];
                }

                features.data<float>().CopyTo(data, start * dimension);
            }
        }
        finally
        {
            network.train();
        }

        return new Embeddings(data ?? throw new ArgumentException("The image set is empty.", nameof(images)), dimension);
    }
}
