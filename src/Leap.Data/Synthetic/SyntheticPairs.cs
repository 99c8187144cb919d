using System.Globalization;
using System.Text;

namespace Leap.Data.Synthetic;

/// <summary>
/// An LFW-format pairs.txt over a <see cref="SyntheticIdentities"/> tree: a header "folds n", then per fold n matched
/// lines "id i j" (two images of one identity) and n mismatched lines "id1 i id2 j", images numbered from 1 in file
/// order (image i is id/NNNN.png with NNNN = i - 1). Drawn from the seed; matched pairs come from identities with at
/// least two images. For trying <c>leap verify</c> without a face data set.
/// </summary>
public static class SyntheticPairs
{
    /// <exception cref="ArgumentException">No identity has two images, or fewer than two identities.</exception>
    public static string Format(int classes, int maxImages, int minImages, int folds, int pairsPerFold, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairsPerFold, 1);
        int[] counts = [.. Enumerable.Range(0, classes).Select(c => SyntheticIdentities.ImagesOf(c, classes, maxImages, minImages))];
        int[] withTwo = [.. Enumerable.Range(0, classes).Where(c => counts[c] >= 2)];
        if (withTwo.Length == 0 || classes < 2)
        {
            throw new ArgumentException($"Matched and mismatched pairs need two identities and one with two images; got {classes} identities of {minImages}..{maxImages} images.");
        }

        var random = new Random(unchecked((int)(seed ^ (seed >> 32)) ^ 0x5eed));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{folds}\t{pairsPerFold}\n");
        for (int f = 0; f < folds; f++)
        {
            for (int k = 0; k < pairsPerFold; k++)
            {
                int c = withTwo[random.Next(withTwo.Length)];
                int i = random.Next(counts[c]);
                int j = (i + 1 + random.Next(counts[c] - 1)) % counts[c];
                text.Append(CultureInfo.InvariantCulture, $"{Name(c)}\t{i + 1}\t{j + 1}\n");
            }
            for (int k = 0; k < pairsPerFold; k++)
            {
                int a = random.Next(classes);
                int b = (a + 1 + random.Next(classes - 1)) % classes;
                text.Append(CultureInfo.InvariantCulture, $"{Name(a)}\t{random.Next(counts[a]) + 1}\t{Name(b)}\t{random.Next(counts[b]) + 1}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The folder name of an identity, as <see cref="SyntheticIdentities.Write"/> names it.</summary>
    public static string Name(int identity) => string.Create(CultureInfo.InvariantCulture, $"id{identity:00000}");
}
