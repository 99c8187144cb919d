using Leap.Data.Sources;

namespace Leap.Data.Tests.Sources;

public sealed class DataLayoutHintTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Touch(string relative)
    {
        string path = Path.Combine(_dir.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
        return path;
    }

    [Fact]
    public void For_RecFile_SuggestsRecordIo()
    {
        Assert.Equal("It is a RecordIO file: use Data:Format = RecordIo.", DataLayoutHint.For(Touch("train.REC")));
    }

    [Fact]
    public void For_OtherFile_IsEmpty()
    {
        Assert.Equal("", DataLayoutHint.For(Touch("train-images-idx3-ubyte.gz")));
    }

    [Fact]
    public void For_MissingPath_SaysItDoesNotExist()
    {
        string path = Path.Combine(_dir.Path, "absent");

        Assert.Equal($"'{path}' does not exist.", DataLayoutHint.For(path));
    }

    [Fact]
    public void For_FolderHoldingRecAndIdentityFolders_SuggestsRecordIo()
    {
        Touch("faces.rec");
        Touch("alice/a1.jpg");

        Assert.Equal("The folder holds a .rec file: use Data:Format = RecordIo with Data:Path = that file.", DataLayoutHint.For(_dir.Path));
    }

    [Fact]
    public void For_FolderWithBoundingBoxTrain_SuggestsMarket1501()
    {
        Touch("bounding_box_train/0002_c1s1_000451_03.jpg");

        Assert.Equal("The folder has bounding_box_train/: use Data:Format = Market1501.", DataLayoutHint.For(_dir.Path));
    }

    [Fact]
    public void For_FolderOfIdentityFolders_SuggestsImageFolder()
    {
        Touch("alice/readme.txt");
        Touch("bob/b1.PNG");

        Assert.Equal("The folder holds one sub-folder of images per identity: use Data:Format = ImageFolder.", DataLayoutHint.For(_dir.Path));
    }

    [Fact]
    public void For_FolderWithoutRecognisedLayout_IsEmpty()
    {
        Touch("alice/readme.txt");
        Touch("stray.jpg");

        Assert.Equal("", DataLayoutHint.For(_dir.Path));
    }
}
