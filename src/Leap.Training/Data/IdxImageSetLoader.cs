using Leap.Data;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>Loads an MNIST-layout IDX folder, applies a long-tail manifest to the training part and maps the test part to the kept classes.</summary>
public static class IdxImageSetLoader
{
    public static (string Images, string Labels) Files(string directory, string prefix)
    {
        foreach (string suffix in new[] { ".gz", "" })
        {
            string images = Path.Combine(directory, $"{prefix}-images-idx3-ubyte{suffix}");
            string labels = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte{suffix}");
            if (File.Exists(images) && File.Exists(labels))
            {
                return (images, labels);
            }
        }
        throw new FileNotFoundException($"No {prefix}-images-idx3-ubyte[.gz] / {prefix}-labels-idx1-ubyte[.gz] pair in '{directory}'. " +
            "On Debian: apt-get install dataset-fashion-mnist (Training:Data:IdxDirectory = /usr/share/datasets/fashion-mnist).");
    }

    public static ImageSet LoadTraining(IdxImages images, LongTailManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(manifest);
        var kept = manifest.KeptSamples();
        return Build(images, kept.Select(k => (long)k.SampleIndex).ToArray(), kept.Select(k => (long)k.NewLabel).ToArray(), manifest.Classes.Count);
    }

    /// <summary>Test images of the manifest's classes (new ids), at most <paramref name="perClass"/> each (0 = all), in file order.</summary>
    public static ImageSet LoadTest(IdxImages images, IdxLabels labels, LongTailManifest manifest, int perClass)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(manifest);
        var map = manifest.Classes.ToDictionary(c => c.OriginalId, c => c.NewId);
        var taken = new int[manifest.Classes.Count];
        var rows = new List<long>();
        var newLabels = new List<long>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (map.TryGetValue(labels[i], out int id) && (perClass == 0 || taken[id] < perClass))
            {
                taken[id]++;
                rows.Add(i);
                newLabels.Add(id);
            }
        }
        return Build(images, rows.ToArray(), newLabels.ToArray(), manifest.Classes.Count);
    }

    private static ImageSet Build(IdxImages images, long[] rows, long[] labels, int classCount)
    {
        int pixels = images.PixelsPerImage;
        var buffer = new float[rows.Length * (long)pixels];
        for (int r = 0; r < rows.Length; r++)
        {
            var image = images.Image((int)rows[r]);
            for (int p = 0; p < pixels; p++)
            {
                // Fashion-MNIST/MNIST-scale normalisation: pixel/255, then centred around 0.5 with unit-ish spread.
                buffer[(r * (long)pixels) + p] = ((image[p] / 255f) - 0.5f) / 0.35f;
            }
        }
        var tensorImages = tensor(buffer, [rows.Length, 1, images.Rows, images.Cols]);
        return new ImageSet(tensorImages, labels, rows, classCount);
    }
}
