namespace Leap.Data.ReId;

/// <summary>One image of a Market-1501 style folder.</summary>
public readonly record struct Market1501Image(string Path, Market1501Name Name)
{
    public int PersonId => Name.PersonId;
    public int CameraId => Name.CameraId;
}

/// <summary>
/// The images of a flat Market-1501 style folder (bounding_box_train, bounding_box_test, query), ordered by file name.
/// </summary>
public sealed class Market1501Listing
{
    private Market1501Listing(IReadOnlyList<Market1501Image> images)
    {
        Images = images;
        PersonIds = images.Where(i => i.PersonId > 0).Select(i => i.PersonId).Distinct().Order().ToArray();
    }

    public IReadOnlyList<Market1501Image> Images { get; }

    /// <summary>The real person ids present (junk -1 and distractor 0 excluded), ascending.</summary>
    public IReadOnlyList<int> PersonIds { get; }

    /// <summary>
    /// Lists the .jpg/.jpeg/.png files directly in <paramref name="folder"/>, ordinal by name. Junk (pid -1) and
    /// distractor (pid 0) images are kept only when asked for. Other files (e.g. Thumbs.db) are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">An image file's name does not follow the Market-1501 pattern.</exception>
    public static Market1501Listing Read(string folder, bool includeJunk = false, bool includeDistractors = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Market-1501 folder '{folder}' does not exist.");
        }

        var images = new List<Market1501Image>();
        foreach (string path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is not (".jpg" or ".jpeg" or ".png"))
            {
                continue;
            }

            if (!Market1501Name.TryParse(path, out Market1501Name name))
            {
                throw new InvalidDataException(
                    $"Image '{path}' is not named PID_cCAMsSEQ_FRAME_BOX (e.g. 0002_c1s1_000451_03.jpg).");
            }

            if ((name.IsJunk && !includeJunk) || (name.IsDistractor && !includeDistractors))
            {
                continue;
            }

            images.Add(new Market1501Image(path, name));
        }

        return new Market1501Listing(images);
    }

    /// <summary>
    /// Contiguous training labels: the i-th smallest real person id becomes i. Junk and distractor images get -1
    /// (list them out before training).
    /// </summary>
    public int[] Labels()
    {
        var labelOf = new Dictionary<int, int>(PersonIds.Count);
        for (int i = 0; i < PersonIds.Count; i++)
        {
            labelOf.Add(PersonIds[i], i);
        }

        return Images.Select(i => labelOf.TryGetValue(i.PersonId, out int label) ? label : -1).ToArray();
    }
}
