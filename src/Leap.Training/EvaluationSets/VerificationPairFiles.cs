using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Evaluation;
using Leap.Evaluation.VerificationSets;

namespace Leap.Training.EvaluationSets;

/// <summary>The images a verification pair list names (a source, in pair-index order) and its pairs, in fold order.</summary>
/// <param name="Name">Default metric prefix ("lfw", "cfp_fp", "agedb_30").</param>
public sealed record VerificationPairData(string Name, IImageSource Images, PairSet Pairs);

/// <summary>
/// Reads the verification pair files the evaluation sets and <c>leap verify</c> accept: LFW's pairs.txt over an
/// identity-folder tree, CFP's Protocol folder, and InsightFace .bin files. The image decoder is the caller's (it sets
/// the channel count).
/// </summary>
public static class VerificationPairFiles
{
    /// <summary>
    /// LFW pairs.txt: "name i j" / "name1 i name2 j" lines name image i of folder name as name/name_000i.jpg (any image
    /// extension). In a tree whose files are not named that way (e.g. <c>leap synth-identities</c>' id00003/0000.png), image
    /// i is the i-th file of the folder in ordinal order, which is what LFW's numbering is too.
    /// </summary>
    /// <param name="images">The identity-folder tree; null = the folder of <paramref name="pairsPath"/>.</param>
    /// <exception cref="FileNotFoundException">No pairs file.</exception>
    /// <exception cref="InvalidDataException">A malformed line, or a pair naming an image the tree lacks (the message names both).</exception>
    public static VerificationPairData ReadLfwPairs(string pairsPath, string? images, ImageDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (!File.Exists(pairsPath))
        {
            throw new FileNotFoundException($"Pairs file '{pairsPath}' does not exist.", pairsPath);
        }
        string root = string.IsNullOrWhiteSpace(images) ? Path.GetDirectoryName(Path.GetFullPath(pairsPath))! : images;
        var listing = IdentityFolderListing.Read(root);
        var byKey = new Dictionary<LfwImageKey, string>();
        foreach (var group in listing.Images.GroupBy(i => i.ClassId))
        {
            int position = 0;
            foreach (var image in group)
            {
                position++;
                byKey.TryAdd(new LfwImageKey(listing.ClassNames[group.Key], position), image.Path);
            }
        }
        foreach (var image in listing.Images)
        {
            // An LFW-named file wins over the position rule.
            if (LfwImageKey.FromPath(image.Path) is { ImageNumber: > 0 } key)
            {
                byKey[key] = image.Path;
            }
        }

        var paths = new List<string>();
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = LfwPairsParser.ParseFile(pairsPath, k =>
        {
            string path = byKey.TryGetValue(k, out string? p) ? p
                : throw new InvalidDataException($"'{pairsPath}' names {k.Name} image {k.ImageNumber}, which is not under '{root}' ({k.Name}/{k.Name}_{k.ImageNumber:0000}.jpg, or the {k.ImageNumber}. image of folder {k.Name}).");
            if (!indexOf.TryGetValue(path, out int index))
            {
                index = paths.Count;
                indexOf.Add(path, index);
                paths.Add(path);
            }

            return index;
        });
        return new VerificationPairData(Path.GetFileName(Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant(),
            new FileImageSource(paths, new int[paths.Count], 1, decoder, pairsPath), list.Pairs);
    }

    /// <summary>CFP's Protocol folder (Pair_list_F.txt, Pair_list_P.txt, Split/FP|FF/01..10/same|diff.txt).</summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">A pair names an image file that does not exist; the message names it.</exception>
    public static VerificationPairData ReadCfp(string protocolFolder, CfpProtocol protocol, ImageDecoder decoder)
    {
        CfpPairList list = CfpPairsParser.Read(protocolFolder, protocol);
        string? missing = list.ImagePaths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            throw new FileNotFoundException($"CFP protocol '{protocolFolder}' names image '{missing}', which does not exist.", missing);
        }
        return new VerificationPairData(protocol == CfpProtocol.FrontalProfile ? "cfp_fp" : "cfp_ff",
            new FileImageSource(list.ImagePaths, new int[list.ImagePaths.Count], 1, decoder, protocolFolder), list.Pairs.Pairs);
    }

    /// <summary>An InsightFace verification .bin (encoded images and is-same flags; read without executing the pickle).</summary>
    public static VerificationPairData ReadBin(string path, ImageDecoder decoder)
    {
        var file = VerificationBinFile.Read(path);
        return new VerificationPairData(Path.GetFileNameWithoutExtension(path).ToLowerInvariant(), new EncodedImageSource(file.Images, decoder, path), file.Pairs);
    }
}
