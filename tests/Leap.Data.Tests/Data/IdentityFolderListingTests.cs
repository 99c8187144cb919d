namespace Leap.Data.Tests.Data;

public sealed class IdentityFolderListingTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Touch(params string[] relativePaths)
    {
        foreach (string relative in relativePaths)
        {
            string path = Path.Combine(_dir.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
        }
    }

    [Fact]
    public void Read_Tree_NumbersFoldersAndSortsFilesOrdinally()
    {
        Touch("Zoe/b.png", "Zoe/a.JPG", "Adam/2.pgm", "Adam/10.jpeg", "Adam/notes.txt", "Empty/readme.md", "loose.jpg", "Adam/deeper/x.jpg");

        IdentityFolderListing listing = IdentityFolderListing.Read(_dir.Path);

        Assert.Equal(new[] { "Adam", "Zoe" }, listing.ClassNames);
        Assert.Equal(
            new[] { ("Adam/10.jpeg", 0), ("Adam/2.pgm", 0), ("Zoe/a.JPG", 1), ("Zoe/b.png", 1) },
            listing.Images.Select(i => (Path.GetRelativePath(_dir.Path, i.Path).Replace('\\', '/'), i.ClassId)));
        Assert.Equal(new[] { 0, 0, 1, 1 }, listing.Labels());
    }

    [Fact]
    public void Read_MissingRoot_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => IdentityFolderListing.Read(_dir.File("absent")));
    }
}
