using Leap.Data.ReId;

namespace Leap.Data.Tests.ReId;

public sealed class Market1501NameTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_RegularName_ReadsEveryField()
    {
        Market1501Name name = Market1501Name.Parse("0002_c1s1_000451_03.jpg");

        Assert.Equal(new Market1501Name(PersonId: 2, CameraId: 1, Sequence: 1, Frame: 451, Box: 3), name);
        Assert.False(name.IsJunk);
        Assert.False(name.IsDistractor);
    }

    [Fact]
    public void Parse_JunkName_HasPersonMinusOne()
    {
        Market1501Name name = Market1501Name.Parse("-1_c3s2_012345_00.jpg");

        Assert.Equal((-1, 3, 2, 12345, 0), (name.PersonId, name.CameraId, name.Sequence, name.Frame, name.Box));
        Assert.True(name.IsJunk);
    }

    [Fact]
    public void Parse_DistractorInPath_ReadsFileNameOnly()
    {
        Market1501Name name = Market1501Name.Parse("/data/bounding_box_test/0000_c6s4_002202_01.JPG");

        Assert.True(name.IsDistractor);
        Assert.Equal(6, name.CameraId);
    }

    [Theory]
    [InlineData("0002_c1_000451_03.jpg")]
    [InlineData("0002_c1s1_000451.jpg")]
    [InlineData("0002_c1s1_000451_03.txt")]
    [InlineData("-2_c1s1_000451_03.jpg")]
    [InlineData("Thumbs.db")]
    [InlineData("")]
    public void TryParse_MalformedName_ReturnsFalse(string fileName)
    {
        Assert.False(Market1501Name.TryParse(fileName, out _));
        Assert.Throws<FormatException>(() => Market1501Name.Parse(fileName));
    }

    private void Touch(params string[] names)
    {
        foreach (string name in names)
        {
            File.WriteAllBytes(_dir.File(name), []);
        }
    }

    [Fact]
    public void Read_Folder_FiltersJunkAndDistractorsAndRelabels()
    {
        Touch("0007_c2s1_000100_01.jpg", "0002_c1s1_000451_03.jpg", "0002_c3s1_000500_00.jpg",
            "-1_c1s1_000001_00.jpg", "0000_c1s1_000002_00.jpg", "Thumbs.db");

        Market1501Listing listing = Market1501Listing.Read(_dir.Path);

        Assert.Equal(
            new[] { "0002_c1s1_000451_03.jpg", "0002_c3s1_000500_00.jpg", "0007_c2s1_000100_01.jpg" },
            listing.Images.Select(i => Path.GetFileName(i.Path)));
        Assert.Equal(new[] { 1, 3, 2 }, listing.Images.Select(i => i.CameraId));
        Assert.Equal(new[] { 2, 7 }, listing.PersonIds);
        Assert.Equal(new[] { 0, 0, 1 }, listing.Labels());
    }

    [Fact]
    public void Read_IncludingJunkAndDistractors_KeepsThemWithLabelMinusOne()
    {
        Touch("0002_c1s1_000451_03.jpg", "-1_c1s1_000001_00.jpg", "0000_c1s1_000002_00.jpg");

        Market1501Listing listing = Market1501Listing.Read(_dir.Path, includeJunk: true, includeDistractors: true);

        Assert.Equal(new[] { -1, 0, 2 }, listing.Images.Select(i => i.PersonId));
        Assert.Equal(new[] { -1, -1, 0 }, listing.Labels());
    }

    [Fact]
    public void Read_ImageWithForeignName_ThrowsNamingIt()
    {
        Touch("0002_c1s1_000451_03.jpg", "holiday.jpg");

        var error = Assert.Throws<InvalidDataException>(() => Market1501Listing.Read(_dir.Path));

        Assert.Contains("holiday.jpg", error.Message);
    }
}
