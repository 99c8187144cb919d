namespace Leap.Data.Sources;

/// <summary>
/// Looks at a path the configured format could not read and says which <c>Data:Format</c> its layout suggests, so a
/// folder of faces given to the IDX reader gets "use ImageFolder" rather than "install Fashion-MNIST".
/// </summary>
public static class DataLayoutHint
{
    public static string For(string path)
    {
        if (File.Exists(path))
        {
            return Path.GetExtension(path).Equals(".rec", StringComparison.OrdinalIgnoreCase)
                ? "It is a RecordIO file: use Data:Format = RecordIo."
                : "";
        }

        if (!Directory.Exists(path))
        {
            return $"'{path}' does not exist.";
        }

        if (Directory.EnumerateFiles(path, "*.rec").Any())
        {
            return "The folder holds a .rec file: use Data:Format = RecordIo with Data:Path = that file.";
        }

        if (Directory.Exists(Path.Combine(path, "bounding_box_train")))
        {
            return "The folder has bounding_box_train/: use Data:Format = Market1501.";
        }

        if (Directory.EnumerateDirectories(path).Any(d => Directory.EnumerateFiles(d).Any(f => IdentityFolderListing.ImageExtensions.Contains(Path.GetExtension(f)))))
        {
            return "The folder holds one sub-folder of images per identity: use Data:Format = ImageFolder.";
        }

        return "";
    }
}
