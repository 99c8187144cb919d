using Leap.Data;
using Leap.Data.RecordIo;
using Leap.Data.Synthetic;

namespace Leap.Training.Tests;

/// <summary>Generated InsightFace-style .rec files: packed from a synthetic identity folder, or written directly at scale.</summary>
internal static class RecFixture
{
    /// <summary>A synthetic long-tailed identity folder packed as `leap pack` does; returns the .rec path.</summary>
    public static string Packed(string directory, int classes, int maxImages, int minImages, int size = 24, long seed = 3)
    {
        string folder = Path.Combine(directory, "identities");
        SyntheticIdentities.Write(folder, classes, maxImages, minImages, size, seed);
        string rec = Path.Combine(directory, "rec", "train.rec");
        Directory.CreateDirectory(Path.GetDirectoryName(rec)!);
        IdentityFolderPacker.Pack(IdentityFolderListing.Read(folder), rec);
        return rec;
    }

    /// <summary>
    /// <paramref name="classes"/> x <paramref name="perClass"/> image records (header, images grouped by class, identity
    /// records) whose bytes cycle through a few pre-drawn synthetic images of their class: a large .rec in seconds.
    /// </summary>
    public static string Repeated(string directory, int classes, int perClass, int size = 16)
    {
        Directory.CreateDirectory(directory);
        string rec = Path.Combine(directory, "train.rec");
        int images = classes * perClass;
        int identityStart = images + 1;
        var drawn = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, 4).Select(i => SyntheticIdentities.Draw(c, i, size, 9)).ToArray()).ToArray();
        using var writer = RecordIoWriter.Create(rec);
        writer.Write(0, new ImageRecordHeader([identityStart, identityStart + classes], 0), []);
        for (int i = 0; i < images; i++)
        {
            int c = i / perClass;
            writer.Write(i + 1, new ImageRecordHeader(c, (ulong)(i + 1)), drawn[c][i % 4]);
        }

        for (int c = 0; c < classes; c++)
        {
            writer.Write(identityStart + c, new ImageRecordHeader([(c * perClass) + 1, ((c + 1) * perClass) + 1], (ulong)(identityStart + c)), []);
        }

        return rec;
    }
}
