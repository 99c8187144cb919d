using Leap.Data.Images;
using Leap.Data.RecordIo;
using Leap.Data.Transforms;
using SkiaSharp;

namespace Leap.Data.Tests.RecordIo;

public sealed class RecordIoImageDatasetTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Keys 1..3 (InsightFace layout): two 6x6 PNGs of class 0 and 1, then a broken image of class 1.</summary>
    private string PackWithBrokenImage()
    {
        string rec = _dir.File("ds.rec");
        byte[] first = TestImages.Png(6, 6, (y, x) => new SKColor((byte)(10 * x), (byte)(10 * y), 0));
        byte[] second = TestImages.Png(6, 6, (_, _) => SKColors.White);
        using var writer = RecordIoWriter.Create(rec);
        writer.Write(0, new ImageRecordHeader([4f, 6f], 0), []);
        writer.Write(1, new ImageRecordHeader(0f, 1), first);
        writer.Write(2, new ImageRecordHeader(1f, 2), second);
        writer.Write(3, new ImageRecordHeader(1f, 3), second.AsSpan(0, 40));
        writer.Write(4, new ImageRecordHeader([1f, 2f], 4), []);
        writer.Write(5, new ImageRecordHeader([2f, 4f], 5), []);
        return rec;
    }

    [Fact]
    public void TryGet_TransformedSample_IsCropOfDecodedImageAtKeyedOrigin()
    {
        using RecordIoReader reader = RecordIoReader.Open(PackWithBrokenImage());
        var crop = new RandomCrop(4, 4);
        var dataset = new RecordIoImageDataset(reader, new ImageDecoder(), crop, augmentationSeed: 21);

        Assert.True(dataset.TryGet(0, epoch: 2, out LabelledImage? sample));

        Assert.Equal(3, dataset.Count);
        Assert.Equal(new[] { 0, 1, 1 }, dataset.Labels);
        Assert.Equal((0, 1L, 0), (sample.SampleIndex, sample.Key, sample.Label));
        ImageBuffer decoded = new ImageDecoder().Decode(reader.Read(1).Image, "expected");
        (int top, int left) = crop.DrawOrigin(6, 6, new AugmentationKey(21, 2, 0));
        Assert.Equal(decoded.Crop(top, left, 4, 4).Data, sample.Image.Data);
    }

    [Fact]
    public void TryGet_BrokenImageUnderSkip_ReturnsFalseAndRecordsSource()
    {
        string rec = PackWithBrokenImage();
        using RecordIoReader reader = RecordIoReader.Open(rec);
        var decoder = new ImageDecoder(new ImageDecoderOptions { OnCorruptImage = CorruptDataPolicy.Skip });
        var dataset = new RecordIoImageDataset(reader, decoder, transform: null, augmentationSeed: 0);

        Assert.False(dataset.TryGet(2, 0, out LabelledImage? none));

        Assert.Null(none);
        Assert.Equal(new[] { $"{rec}#3" }, decoder.Skipped.Ids);
        Assert.True(dataset.TryGet(1, 0, out LabelledImage? white));
        Assert.All(white.Image.Data, v => Assert.Equal(1f, v));
    }
}
