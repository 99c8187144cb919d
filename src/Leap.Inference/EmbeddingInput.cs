using System.Globalization;
using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Sources;

namespace Leap.Inference;

/// <summary>
/// The images <c>leap embed --input</c> names, with an id and a label per image: an identity-per-folder tree (id = the
/// file's path, label = its folder), an InsightFace .rec with its .idx (id = file.rec#key, label = the record's class),
/// or a list file (one image per line, "path [label]", paths relative to the list file; blank lines and lines starting
/// with # are skipped).
/// </summary>
public sealed class EmbeddingInput : IDisposable
{
    private EmbeddingInput(IImageSource source, IReadOnlyList<string> ids, IReadOnlyList<string> labels)
    {
        Source = source;
        Ids = ids;
        Labels = labels;
    }

    public IImageSource Source { get; }
    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<string> Labels { get; }

    /// <param name="channels">Channels the images are decoded to (the model's).</param>
    /// <exception cref="FileNotFoundException">The input, or an image a list file names, does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">A folder without images, a corrupt .rec index, an empty list.</exception>
    public static EmbeddingInput Open(string path, int channels)
    {
        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = channels == 1 ? ImageChannels.Grey : ImageChannels.Rgb });
        if (Directory.Exists(path))
        {
            var folders = FileImageSource.FromIdentityFolders(path, decoder, out _);
            var listing = IdentityFolderListing.Read(path);
            return new EmbeddingInput(folders, [.. listing.Images.Select(i => i.Path)], [.. listing.Images.Select(i => listing.ClassNames[i.ClassId])]);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--input '{path}' is neither a folder nor a file.", path);
        }
        if (path.EndsWith(".rec", StringComparison.OrdinalIgnoreCase))
        {
            var rec = RecordIoImageSource.Open(path, decoder);
            return new EmbeddingInput(rec, [.. Enumerable.Range(0, rec.Count).Select(rec.Locate)],
                [.. rec.Labels.Select(l => l.ToString(CultureInfo.InvariantCulture))]);
        }
        return ReadList(path, decoder);
    }

    private static EmbeddingInput ReadList(string listPath, ImageDecoder decoder)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(listPath))!;
        var paths = new List<string>();
        var labels = new List<string>();
        int number = 0;
        foreach (string line in File.ReadLines(listPath))
        {
            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            string[] fields = trimmed.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            string image = Path.Combine(folder, fields[0]);
            if (!File.Exists(image))
            {
                throw new FileNotFoundException($"{listPath} line {number}: image '{image}' does not exist.", image);
            }
            paths.Add(image);
            labels.Add(fields.Length > 1 ? fields[1].Trim() : "");
        }
        if (paths.Count == 0)
        {
            throw new InvalidDataException($"List file '{listPath}' names no images (one 'path [label]' per line).");
        }
        string[] classes = [.. labels.Distinct(StringComparer.Ordinal)];
        var classOf = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var source = new FileImageSource(paths, [.. labels.Select(l => classOf[l])], classes.Length, decoder, listPath);
        return new EmbeddingInput(source, paths, labels);
    }

    public void Dispose() => Source.Dispose();
}
