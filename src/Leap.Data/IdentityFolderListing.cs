namespace Leap.Data;

/// <summary>
/// The images of an identity-per-folder tree (root/identity/image.jpg, as LFW, CASIA-WebFace or CelebA by id).
/// <see cref="ClassNames"/>[id] is the folder of class id.
/// </summary>
public sealed record IdentityFolderListing(IReadOnlyList<string> ClassNames, IReadOnlyList<IdentityImage> Images)
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".pgm" };

    /// <summary>
    /// Lists <paramref name="root"/>: each immediate sub-folder holding at least one image (by extension, see
    /// <see cref="ImageExtensions"/>) is a class; classes are numbered in ordinal order of folder name, images within
    /// a folder in ordinal order of file name. Files directly under root, deeper folders and other files are ignored.
    /// No image is opened.
    /// </summary>
    public static IdentityFolderListing Read(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Identity folder tree '{root}' does not exist.");
        }

        var names = new List<string>();
        var images = new List<IdentityImage>();
        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string[] files = Directory.GetFiles(folder)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                continue;
            }

            int id = names.Count;
            names.Add(Path.GetFileName(folder));
            images.AddRange(files.Select(f => new IdentityImage(f, id)));
        }

        return new IdentityFolderListing(names, images);
    }

    /// <summary>
    /// This listing without the images whose path is in <paramref name="excluded"/>; a class left without images is
    /// dropped and the remaining classes are renumbered 0..C'-1 in their previous order.
    /// </summary>
    public IdentityFolderListing Without(IReadOnlySet<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var names = new List<string>();
        var images = new List<IdentityImage>();
        foreach (IGrouping<int, IdentityImage> group in Images.Where(i => !excluded.Contains(i.Path)).GroupBy(i => i.ClassId).OrderBy(g => g.Key))
        {
            int id = names.Count;
            names.Add(ClassNames[group.Key]);
            images.AddRange(group.Select(i => i with { ClassId = id }));
        }

        return new IdentityFolderListing(names, images);
    }

    /// <summary>The class id of every image, in listing order (input of <see cref="LongTailSplitBuilder"/>).</summary>
    public int[] Labels() => Images.Select(i => i.ClassId).ToArray();
}
