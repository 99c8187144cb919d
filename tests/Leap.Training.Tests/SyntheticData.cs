using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>Long-tailed toy images: each class is a fixed random 1x8x8 prototype plus Gaussian noise.</summary>
internal static class SyntheticData
{
    public static ImageSet LongTailed(int[] samplesPerClass, long seed, double noise = 0.6)
    {
        var generator = new Generator((ulong)seed);
        int classes = samplesPerClass.Length;
        var prototypes = randn([classes, 1, 8, 8], generator: generator);
        var labels = samplesPerClass.SelectMany((k, c) => Enumerable.Repeat((long)c, k)).ToArray();
        using var index = tensor(labels);
        var images = prototypes.index_select(0, index) + randn([labels.Length, 1, 8, 8], generator: generator) * noise;
        prototypes.Dispose();
        return new ImageSet(images, labels, Enumerable.Range(0, labels.Length).Select(i => (long)i).ToArray(), classes);
    }
}
