using System.Globalization;

namespace Leap.Evaluation.VerificationSets;

/// <summary>
/// Reads a CFP (Celebrities in Frontal-Profile) protocol from its Protocol folder:
/// <list type="bullet">
/// <item>Pair_list_F.txt and Pair_list_P.txt: lines "n path", n = 1, 2, ... in order, the path relative to the
/// Protocol folder (CFP's own lists say ../Data/Images/001/frontal/01.jpg);</item>
/// <item>Split/FF/01..10 and Split/FP/01..10, each with same.txt and diff.txt: lines "i,j" of 1-based numbers, i a
/// frontal image and j a frontal (FF) or profile (FP) image.</item>
/// </list>
/// Split k becomes fold k; every same.txt and diff.txt must hold the same number of pairs (350 in CFP). No image is
/// opened. A missing file or folder throws naming it; malformed lines throw <see cref="InvalidDataException"/> naming
/// the file and line.
/// </summary>
public static class CfpPairsParser
{
    public const string FrontalListFile = "Pair_list_F.txt";
    public const string ProfileListFile = "Pair_list_P.txt";
    public const string SplitFolder = "Split";
    public const string SameFile = "same.txt";
    public const string DiffFile = "diff.txt";

    /// <summary>The folder under Split/ that holds a protocol's splits: FF or FP.</summary>
    public static string SplitFolderName(CfpProtocol protocol) => protocol switch
    {
        CfpProtocol.FrontalFrontal => "FF",
        CfpProtocol.FrontalProfile => "FP",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown CFP protocol."),
    };

    /// <param name="protocolFolder">CFP's Protocol folder (holding Pair_list_F.txt, Pair_list_P.txt and Split/).</param>
    public static CfpPairList Read(string protocolFolder, CfpProtocol protocol)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocolFolder);
        string root = Path.GetFullPath(protocolFolder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"CFP protocol folder '{root}' does not exist.");
        }

        string[] frontal = ReadImageList(Path.Combine(root, FrontalListFile), root);
        string[] second = protocol == CfpProtocol.FrontalFrontal ? frontal : ReadImageList(Path.Combine(root, ProfileListFile), root);
        int secondOffset = protocol == CfpProtocol.FrontalFrontal ? 0 : frontal.Length;
        string[] imagePaths = protocol == CfpProtocol.FrontalFrontal ? frontal : [.. frontal, .. second];

        string splitRoot = Path.Combine(root, SplitFolder, SplitFolderName(protocol));
        string[] splits = SplitFolders(splitRoot);
        var pairs = new List<VerificationPair>();
        int perFold = 0;
        string? firstFile = null;
        foreach (string split in splits)
        {
            foreach ((string file, bool same) in new[] { (SameFile, true), (DiffFile, false) })
            {
                string path = Path.Combine(split, file);
                List<VerificationPair> read = ReadPairFile(path, same, frontal.Length, second.Length, secondOffset);
                if (firstFile is null)
                {
                    (firstFile, perFold) = (path, read.Count);
                    if (perFold == 0)
                    {
                        throw new InvalidDataException($"{path}: no pairs.");
                    }
                }
                else if (read.Count != perFold)
                {
                    throw new InvalidDataException(
                        $"{path}: {read.Count} pairs, but {firstFile} has {perFold}; every {SameFile} and {DiffFile} must hold the same number.");
                }

                pairs.AddRange(read);
            }
        }

        return new CfpPairList(protocol, imagePaths, new LfwPairList(splits.Length, perFold, new PairSet(pairs)));
    }

    /// <summary>The split folders 1..n (named 01, 02, ... in CFP), in number order; any other sub-folder is an error.</summary>
    private static string[] SplitFolders(string splitRoot)
    {
        if (!Directory.Exists(splitRoot))
        {
            throw new DirectoryNotFoundException($"CFP split folder '{splitRoot}' does not exist.");
        }

        var numbered = new SortedDictionary<int, string>();
        foreach (string folder in Directory.GetDirectories(splitRoot))
        {
            string name = Path.GetFileName(folder);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || !numbered.TryAdd(number, folder))
            {
                throw new InvalidDataException($"{splitRoot}: sub-folder '{name}' is not a split number 01, 02, ... (or repeats one).");
            }
        }

        if (numbered.Count == 0 || numbered.Keys.Last() != numbered.Count)
        {
            int missing = Enumerable.Range(1, numbered.Count + 1).First(k => !numbered.ContainsKey(k));
            throw new DirectoryNotFoundException($"CFP split folder '{Path.Combine(splitRoot, missing.ToString("00", CultureInfo.InvariantCulture))}' does not exist.");
        }

        return [.. numbered.Values];
    }

    /// <summary>Full paths of a Pair_list file's images; line k (blank lines skipped) must be "k path".</summary>
    private static string[] ReadImageList(string file, string root)
    {
        var paths = new List<string>();
        foreach ((int line, string text) in NonBlankLines(file))
        {
            string[] fields = text.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                throw new InvalidDataException($"{file} line {line}: expected 'n path', got '{text}'.");
            }

            if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number != paths.Count + 1)
            {
                throw new InvalidDataException($"{file} line {line}: image number '{fields[0]}' should be {paths.Count + 1} (images are numbered 1, 2, ... in order).");
            }

            paths.Add(Path.GetFullPath(fields[1], root));
        }

        return paths.Count > 0 ? [.. paths] : throw new InvalidDataException($"{file}: no images.");
    }

    /// <summary>The pairs of a same.txt or diff.txt: "i,j" with i in 1..firstCount and j in 1..secondCount.</summary>
    private static List<VerificationPair> ReadPairFile(string file, bool same, int firstCount, int secondCount, int secondOffset)
    {
        var pairs = new List<VerificationPair>();
        foreach ((int line, string text) in NonBlankLines(file))
        {
            string[] fields = text.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                throw new InvalidDataException($"{file} line {line}: expected 'i,j', got '{text}'.");
            }

            int first = ParseImageNumber(fields[0], firstCount, file, line) - 1;
            int second = secondOffset + ParseImageNumber(fields[1], secondCount, file, line) - 1;
            if (first == second)
            {
                throw new InvalidDataException($"{file} line {line}: pairs an image with itself.");
            }

            pairs.Add(new VerificationPair(first, second, same));
        }

        return pairs;
    }

    private static int ParseImageNumber(string text, int count, string file, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= count
            ? number
            : throw new InvalidDataException($"{file} line {line}: '{text}' is not an image number in 1..{count}.");

    private static IEnumerable<(int Line, string Text)> NonBlankLines(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"CFP protocol file '{file}' does not exist.", file);
        }

        int line = 0;
        foreach (string text in File.ReadLines(file))
        {
            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                yield return (line, text.Trim());
            }
        }
    }
}
