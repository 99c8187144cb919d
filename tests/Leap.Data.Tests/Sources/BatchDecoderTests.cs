using Leap.Data.Images;
using Leap.Data.Sources;
using Leap.Data.Transforms;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace Leap.Data.Tests.Sources;

public sealed class BatchDecoderTests : IDisposable
{
    private const int Images = 8;
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Sample i (0..7) is faces/p{i / 2}/{i % 2}.png, a 3x2 PNG whose colours depend on i; sample
    /// <paramref name="corrupt"/> (if any) is a .png of garbage bytes instead. Mean 0.5, std 0.25 per channel.
    /// </summary>
    private SamplePreprocessor Preprocessor(int corrupt = -1)
    {
        for (int i = 0; i < Images; i++)
        {
            string path = Path.Combine(_dir.Path, "faces", $"p{i / 2}", $"{i % 2}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, i == corrupt
                ? [1, 2, 3, 4, 5, 6, 7, 8]
                : TestImages.Png(3, 2, (y, x) => new SKColor((byte)(30 * i), (byte)(40 * y), (byte)(100 * x + i))));
        }

        FileImageSource source = FileImageSource.FromIdentityFolders(Path.Combine(_dir.Path, "faces"), new ImageDecoder(), out _);
        return new SamplePreprocessor(source, 3, 0, 0, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);
    }

    private static float[] Row(SamplePreprocessor preprocessor, int index, StepAugmentation? augmentation = null)
    {
        var row = new float[preprocessor.RowSize];
        preprocessor.Prepare(index, row, augmentation);
        return row;
    }

    /// <summary>Both decode-path augmentations on, for step 4 of seed 11.</summary>
    private static StepAugmentation Augmented() =>
        new SampleAugmentation(new ImageTransformPipeline(new RandomResizedCrop(3, 2, 0.3), new ColourJitter(0.5)), seed: 11).ForStep(4);

    [Fact]
    public void Decode_OneVersusThreeThreads_IdenticalBuffersHoldingEachRequestedSampleInOrder()
    {
        SamplePreprocessor preprocessor = Preprocessor();
        int[] indices = [7, 0, 3, 3, 5, 1, 6, 2, 4, 7, 0];
        int row = preprocessor.RowSize;
        var one = new float[indices.Length * row];
        var three = new float[indices.Length * row];

        int[] usedOne = new BatchDecoder(preprocessor, threads: 1).Decode(indices, one);
        int[] usedThree = new BatchDecoder(preprocessor, threads: 3).Decode(indices, three);

        Assert.Equal(one, three);
        Assert.Equal(indices, usedOne);
        Assert.Equal(indices, usedThree);
        for (int i = 0; i < indices.Length; i++)
        {
            Assert.Equal(Row(preprocessor, indices[i]), three.AsSpan(i * row, row).ToArray());
        }
    }

    [Fact]
    public void Decode_WithAugmentationOneVersusThreeThreadsAndAnyOrder_EachRowIsItsSampleAugmentedByItsOwnKey()
    {
        SamplePreprocessor preprocessor = Preprocessor();
        StepAugmentation augmentation = Augmented();
        int[] indices = [7, 0, 3, 5, 1, 6, 2, 4];
        int[] reversed = [.. indices.Reverse()];
        int row = preprocessor.RowSize;
        var one = new float[indices.Length * row];
        var three = new float[indices.Length * row];
        var backwards = new float[indices.Length * row];

        new BatchDecoder(preprocessor, threads: 1).Decode(indices, one, augmentation: augmentation);
        new BatchDecoder(preprocessor, threads: 3).Decode(indices, three, augmentation: augmentation);
        new BatchDecoder(preprocessor, threads: 3).Decode(reversed, backwards, augmentation: augmentation);

        Assert.Equal(one, three);
        for (int i = 0; i < indices.Length; i++)
        {
            float[] expected = Row(preprocessor, indices[i], augmentation);
            Assert.Equal(expected, three.AsSpan(i * row, row).ToArray());
            Assert.Equal(expected, backwards.AsSpan((indices.Length - 1 - i) * row, row).ToArray());
        }

        Assert.Contains(indices, i => !Row(preprocessor, i).SequenceEqual(Row(preprocessor, i, augmentation)));
    }

    [Fact]
    public void Decode_CorruptSampleSubstitutedWithAugmentation_RowIsTheSubstituteUnderItsOwnKey()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 5);
        StepAugmentation augmentation = Augmented();
        var decoder = new BatchDecoder(preprocessor, threads: 2, CorruptDataPolicy.Skip);
        var pixels = new float[2 * preprocessor.RowSize];

        int[] used = decoder.Decode([5, 1], pixels, substitute: _ => 4, augmentation);

        Assert.Equal(new[] { 4, 1 }, used);
        Assert.Equal(Row(preprocessor, 4, augmentation), pixels.AsSpan(0, preprocessor.RowSize).ToArray());
    }

    [Fact]
    public void Decode_CorruptSampleUnderSkipWithSubstitute_RowHoldsSubstituteAndIsCountedAndLogged()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 5);
        string corrupt = preprocessor.Source.Locate(5);
        var logger = new ListLogger<BatchDecoder>();
        var decoder = new BatchDecoder(preprocessor, threads: 3, CorruptDataPolicy.Skip, logger);
        int[] indices = [1, 5, 6];
        int row = preprocessor.RowSize;
        var pixels = new float[indices.Length * row];

        int[] used = decoder.Decode(indices, pixels, substitute: i => i == 5 ? 4 : throw new InvalidOperationException($"asked for {i}"));

        Assert.Equal(new[] { 1, 4, 6 }, used);
        Assert.Equal(Row(preprocessor, 1), pixels.AsSpan(0, row).ToArray());
        Assert.Equal(Row(preprocessor, 4), pixels.AsSpan(row, row).ToArray());
        Assert.Equal(Row(preprocessor, 6), pixels.AsSpan(2 * row, row).ToArray());
        Assert.Equal(1, decoder.Skipped.Count);
        Assert.Equal(new[] { corrupt }, decoder.Skipped.Ids);
        (LogLevel level, string message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains(corrupt, message, StringComparison.Ordinal);
        Assert.Contains($"substitute {preprocessor.Source.Locate(4)}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SubstituteAlsoCorrupt_TriesTheNextSubstitute()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 3);
        var decoder = new BatchDecoder(preprocessor, threads: 1, CorruptDataPolicy.Skip);
        var pixels = new float[preprocessor.RowSize];

        // 3 -> 3 (still corrupt) -> 2.
        int calls = 0;
        int[] used = decoder.Decode([3], pixels, substitute: i => ++calls == 1 ? 3 : 2);

        Assert.Equal(new[] { 2 }, used);
        Assert.Equal(Row(preprocessor, 2), pixels);
        Assert.Equal(2, decoder.Skipped.Count);
    }

    [Fact]
    public void Decode_EverySubstituteCorrupt_ThrowsAfterMaxSubstitutes()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 3);
        var decoder = new BatchDecoder(preprocessor, threads: 1, CorruptDataPolicy.Skip);

        var e = Assert.Throws<InvalidDataException>(() => decoder.Decode([3], new float[preprocessor.RowSize], substitute: i => i));

        Assert.Contains(preprocessor.Source.Locate(3), e.Message, StringComparison.Ordinal);
        Assert.Equal(BatchDecoder.MaxSubstitutes, decoder.Skipped.Count);
    }

    [Fact]
    public void Decode_CorruptSampleUnderThrow_ThrowsInvalidDataNamingFile()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 5);
        var decoder = new BatchDecoder(preprocessor, threads: 3, CorruptDataPolicy.Throw);
        int[] indices = [0, 1, 2, 5, 6, 7];

        var e = Assert.Throws<InvalidDataException>(() => decoder.Decode(indices, new float[indices.Length * preprocessor.RowSize], substitute: _ => 0));

        Assert.Contains(preprocessor.Source.Locate(5), e.Message, StringComparison.Ordinal);
        Assert.Equal(0, decoder.Skipped.Count);
    }

    [Fact]
    public void Decode_CorruptSampleUnderSkipWithoutSubstitute_ThrowsInvalidDataNamingFile()
    {
        SamplePreprocessor preprocessor = Preprocessor(corrupt: 5);
        var decoder = new BatchDecoder(preprocessor, threads: 3, CorruptDataPolicy.Skip);
        int[] indices = [0, 5, 7];

        var e = Assert.Throws<InvalidDataException>(() => decoder.Decode(indices, new float[indices.Length * preprocessor.RowSize]));

        Assert.Contains(preprocessor.Source.Locate(5), e.Message, StringComparison.Ordinal);
        Assert.Equal(0, decoder.Skipped.Count);
    }

    [Fact]
    public void Decode_DestinationTooSmall_ThrowsArgumentException()
    {
        SamplePreprocessor preprocessor = Preprocessor();
        var decoder = new BatchDecoder(preprocessor, threads: 2);

        var e = Assert.Throws<ArgumentException>(() => decoder.Decode([0, 1], new float[(2 * preprocessor.RowSize) - 1]));

        Assert.Equal("destination", e.ParamName);
    }
}
