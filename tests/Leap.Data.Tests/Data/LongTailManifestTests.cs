namespace Leap.Data.Tests.Data;

public sealed class LongTailManifestTests
{
    private static LongTailManifest Sample() =>
        new LongTailSplitBuilder(new LongTailOptions(2, null, 2, seed: 77))
            .Build([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 4]);

    [Fact]
    public void FromJson_OfToJson_RestoresEveryField()
    {
        LongTailManifest original = Sample();

        LongTailManifest copy = LongTailManifest.FromJson(original.ToJson());

        Assert.Equal((2, (int?)null, 2, 77L), (copy.Options.HeadClasses, copy.Options.TailClasses, copy.Options.SamplesPerTailClass, copy.Seed));
        Assert.Equal(15, copy.SourceSampleCount);
        Assert.Equal(original.Classes.Count, copy.Classes.Count);
        for (int i = 0; i < copy.Classes.Count; i++)
        {
            LongTailClass a = original.Classes[i], b = copy.Classes[i];
            Assert.Equal((a.OriginalId, a.NewId, a.IsHead, a.AvailableCount, a.KeptCount), (b.OriginalId, b.NewId, b.IsHead, b.AvailableCount, b.KeptCount));
            Assert.Equal(a.SampleIndices, b.SampleIndices);
        }

        Assert.Equal(original.ToJson(), copy.ToJson());
    }

    [Fact]
    public void SaveThenLoad_File_RoundTrips()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("manifest.json");
        LongTailManifest original = Sample();

        original.Save(path);

        Assert.Equal(original.ToJson(), LongTailManifest.Load(path).ToJson());
    }

    [Fact]
    public void ToJson_NamesTheProtocolFields()
    {
        string json = Sample().ToJson();

        Assert.Contains("\"headClasses\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"seed\": 77", json, StringComparison.Ordinal);
        Assert.Contains("\"keptCount\"", json, StringComparison.Ordinal);
        Assert.Contains("\"isHead\": true", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_NonContiguousNewIds_ThrowsInvalidData()
    {
        string json = Sample().ToJson().Replace("\"newId\": 1", "\"newId\": 7", StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => LongTailManifest.FromJson(json));
    }

    [Fact]
    public void Load_MalformedJson_ThrowsInvalidDataNamingFile()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("broken.json");
        File.WriteAllText(path, "{ \"options\": ");

        var e = Assert.Throws<InvalidDataException>(() => LongTailManifest.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
