using Leap.Data.ReId;

namespace Leap.Data.Tests.ReId;

public sealed class Market1501EvaluationSplitTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string TestFolder => Path.Combine(_dir.Path, Market1501EvaluationSplit.TestFolder);

    /// <summary>
    /// bounding_box_test in miniature: person 2 seen by cameras 1 (3 images) and 3 (2), person 7 by camera 2 (4) and
    /// camera 5 (1), person 11 by camera 1 (2), plus two distractors and two junk images.
    /// </summary>
    private void WriteTestFolder()
    {
        Touch(TestFolder,
            "0002_c1s1_000100_01.jpg", "0002_c1s1_000200_01.jpg", "0002_c1s2_000300_02.jpg", "0002_c3s1_000400_01.jpg",
            "0002_c3s1_000500_01.jpg", "0007_c2s1_000100_01.jpg", "0007_c2s1_000200_01.jpg", "0007_c2s3_000300_01.jpg",
            "0007_c2s3_000400_01.jpg", "0007_c5s1_000500_01.jpg", "0011_c1s4_000100_01.jpg", "0011_c1s4_000200_01.jpg",
            "0000_c1s1_000001_00.jpg", "0000_c4s2_000002_00.jpg", "-1_c1s1_000003_00.jpg", "-1_c2s1_000004_00.jpg");
    }

    [Fact]
    public void DrawQueries_EachPersonCameraView_GetsExactlyOneQuery()
    {
        WriteTestFolder();

        for (long seed = 0; seed < 20; seed++)
        {
            Market1501EvaluationSplit split = Market1501EvaluationSplit.Read(_dir.Path, seed);

            Assert.True(split.QueryIsDrawn);
            Assert.Equal(
                new[] { (2, 1), (2, 3), (7, 2), (7, 5), (11, 1) },
                split.Query.Select(q => (q.PersonId, q.CameraId)));
        }
    }

    [Fact]
    public void DrawQueries_Gallery_HoldsEveryOtherImageWithDistractorsAndNoJunk()
    {
        WriteTestFolder();

        Market1501EvaluationSplit split = Market1501EvaluationSplit.Read(_dir.Path, seed: 3);

        string[] query = split.Query.Select(q => q.Path).ToArray();
        string[] gallery = split.Gallery.Select(g => g.Path).ToArray();
        Assert.Empty(query.Intersect(gallery));
        Assert.Equal(16 - 2 - 5, gallery.Length);
        Assert.Equal(2, split.Gallery.Count(g => g.Name.IsDistractor));
        Assert.DoesNotContain(split.Gallery, g => g.Name.IsJunk);
        Assert.DoesNotContain(split.Query, q => q.Name.IsJunk || q.Name.IsDistractor);
        Assert.Equal(
            Directory.GetFiles(TestFolder).Where(f => !Path.GetFileName(f).StartsWith("-1", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            query.Concat(gallery).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DrawQueries_SameSeed_PicksTheSameQueries()
    {
        WriteTestFolder();
        Market1501Listing test = Market1501Listing.Read(TestFolder, includeDistractors: true);

        Market1501EvaluationSplit first = Market1501EvaluationSplit.DrawQueries(test, seed: 42);
        Market1501EvaluationSplit second = Market1501EvaluationSplit.DrawQueries(test, seed: 42);

        Assert.Equal(first.Query, second.Query);
        Assert.Equal(first.Gallery, second.Gallery);
    }

    [Fact]
    public void DrawQueries_DifferentSeeds_PickDifferentImagesSomewhere()
    {
        WriteTestFolder();
        Market1501Listing test = Market1501Listing.Read(TestFolder, includeDistractors: true);

        var picks = Enumerable.Range(0, 20)
            .Select(seed => string.Join('|', Market1501EvaluationSplit.DrawQueries(test, seed).Query.Select(q => Path.GetFileName(q.Path))))
            .Distinct()
            .Count();

        Assert.True(picks > 1, "Twenty seeds all drew the same queries.");
    }

    [Fact]
    public void DrawQueries_OneViewsPick_DoesNotDependOnOtherPersons()
    {
        WriteTestFolder();
        Market1501Listing whole = Market1501Listing.Read(TestFolder, includeDistractors: true);
        File.Delete(Path.Combine(TestFolder, "0011_c1s4_000100_01.jpg"));
        File.Delete(Path.Combine(TestFolder, "0011_c1s4_000200_01.jpg"));
        Market1501Listing withoutPerson11 = Market1501Listing.Read(TestFolder, includeDistractors: true);

        for (long seed = 0; seed < 10; seed++)
        {
            Assert.Equal(
                Market1501EvaluationSplit.DrawQueries(whole, seed).Query.Where(q => q.PersonId != 11),
                Market1501EvaluationSplit.DrawQueries(withoutPerson11, seed).Query);
        }
    }

    [Fact]
    public void Read_WithQueryFolder_UsesItAsIsAndTheWholeTestFolderAsGallery()
    {
        WriteTestFolder();
        string queryFolder = Path.Combine(_dir.Path, Market1501EvaluationSplit.QueryFolder);
        Touch(queryFolder, "0002_c1s1_000050_00.jpg", "0007_c5s1_000060_00.jpg");

        Market1501EvaluationSplit split = Market1501EvaluationSplit.Read(_dir.Path, seed: 3);

        Assert.False(split.QueryIsDrawn);
        Assert.Equal(new[] { "0002_c1s1_000050_00.jpg", "0007_c5s1_000060_00.jpg" }, split.Query.Select(q => Path.GetFileName(q.Path)));
        Assert.Equal(14, split.Gallery.Count);
        Assert.DoesNotContain(split.Gallery, g => g.Name.IsJunk);
    }

    private static void Touch(string folder, params string[] names)
    {
        Directory.CreateDirectory(folder);
        foreach (string name in names)
        {
            File.WriteAllBytes(Path.Combine(folder, name), []);
        }
    }
}
