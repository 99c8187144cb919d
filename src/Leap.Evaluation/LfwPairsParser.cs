using System.Globalization;

namespace Leap.Evaluation;

/// <summary>
/// Parses the LFW pairs.txt format: a header "folds n" (or just "n", meaning one fold, as in pairsDevTest.txt),
/// then per fold n matched lines "name i j" followed by n mismatched lines "name1 i name2 j". Fields are separated by
/// tabs or spaces; blank lines are skipped. The caller maps each image key to an embedding index. Malformed input
/// throws <see cref="InvalidDataException"/> naming the line.
/// </summary>
public static class LfwPairsParser
{
    public static LfwPairList ParseFile(string path, Func<LfwImageKey, int> resolveIndex)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, resolveIndex, path);
    }

    public static LfwPairList Parse(TextReader reader, Func<LfwImageKey, int> resolveIndex, string sourceName = "pairs")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(resolveIndex);
        var lines = new List<(int Number, string[] Fields)>();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
            {
                lines.Add((number, fields));
            }
        }

        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{sourceName}: empty file, expected a header 'folds n'.");
        }

        (int headerLine, string[] header) = lines[0];
        (int folds, int perFold) = header.Length switch
        {
            1 => (1, ParseCount(header[0], sourceName, headerLine)),
            2 => (ParseCount(header[0], sourceName, headerLine), ParseCount(header[1], sourceName, headerLine)),
            _ => throw new InvalidDataException($"{sourceName} line {headerLine}: header must be 'folds n' or 'n'."),
        };

        long expected = 2L * folds * perFold;
        if (lines.Count - 1 != expected)
        {
            throw new InvalidDataException(
                $"{sourceName}: header announces {folds} folds of {perFold} + {perFold} pairs ({expected} lines) but {lines.Count - 1} pair lines follow.");
        }

        var pairs = new List<VerificationPair>((int)expected);
        for (int k = 1; k < lines.Count; k++)
        {
            bool matched = (k - 1) % (2 * perFold) < perFold;
            pairs.Add(ParsePair(lines[k].Number, lines[k].Fields, matched, resolveIndex, sourceName));
        }

        return new LfwPairList(folds, perFold, new PairSet(pairs));
    }

    private static VerificationPair ParsePair(
        int line, string[] f, bool matched, Func<LfwImageKey, int> resolveIndex, string sourceName)
    {
        LfwImageKey first, second;
        if (matched)
        {
            if (f.Length != 3)
            {
                throw new InvalidDataException($"{sourceName} line {line}: a matched pair is 'name i j', got {f.Length} fields.");
            }

            first = new LfwImageKey(f[0], ParseImageNumber(f[1], sourceName, line));
            second = new LfwImageKey(f[0], ParseImageNumber(f[2], sourceName, line));
        }
        else
        {
            if (f.Length != 4)
            {
                throw new InvalidDataException($"{sourceName} line {line}: a mismatched pair is 'name1 i name2 j', got {f.Length} fields.");
            }

            first = new LfwImageKey(f[0], ParseImageNumber(f[1], sourceName, line));
            second = new LfwImageKey(f[2], ParseImageNumber(f[3], sourceName, line));
        }

        int a = resolveIndex(first);
        int b = resolveIndex(second);
        if (a < 0 || b < 0 || a == b)
        {
            throw new InvalidDataException(
                $"{sourceName} line {line}: images {first} and {second} resolved to indices {a} and {b}; need two distinct indices >= 0.");
        }

        return new VerificationPair(a, b, matched);
    }

    private static int ParseCount(string text, string sourceName, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new InvalidDataException($"{sourceName} line {line}: '{text}' is not a positive count.");

    private static int ParseImageNumber(string text, string sourceName, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new InvalidDataException($"{sourceName} line {line}: '{text}' is not an image number >= 1.");
}
