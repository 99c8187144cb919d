using Leap.Data;
using Leap.Training.Configuration;
using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// The streaming loader over a generated .rec: rank slices, order, thread count and bad records, with and without the
/// decode-path augmentations (random resized crop, colour jitter).
/// </summary>
public sealed class PrefetchingBatchesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-prefetch-" + Guid.NewGuid().ToString("N"));
    private readonly string _rec;

    public PrefetchingBatchesTests() => _rec = RecFixture.Packed(_root, classes: 12, maxImages: 20, minImages: 4);

    private TrainingOptions Options(int decodeThreads = 2, bool augmented = false) => new()
    {
        Seed = 4,
        BatchSize = 12,
        Data =
        {
            Format = DataFormat.RecordIo, Path = _rec, HeadClasses = 4, SamplesPerTailClass = 3, HoldOutPerClass = 1,
            DecodeThreads = decodeThreads, PrefetchBatches = 2,
        },
        Augmentation = augmented ? new AugmentationOptions { RandomResizedCrop = 0.4, ColourJitter = 0.4 } : new AugmentationOptions(),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Take_TwoRanks_SlicesConcatenateToTheSingleProcessBatch(bool augmented)
    {
        using var data = RunData.Open(Options(augmented: augmented));
        var plan = data.Plan();
        using var whole = data.Batches(plan);
        using var rank0 = data.Batches(data.Plan(), 0, 2);
        using var rank1 = data.Batches(data.Plan(), 1, 2);
        for (long step = 0; step < 2 * plan.StepsPerEpoch + 1; step++)
        {
            using var scope = NewDisposeScope();
            var all = whole.Take(step);
            var a = rank0.Take(step);
            var b = rank1.Take(step);
            Assert.Equal(new long[] { 12, 3, 24, 24 }, all.Images.shape);
            Assert.True(cat([a.Images, b.Images]).equal(all.Images).all().item<bool>(), $"images of step {step}");
            Assert.Equal(all.Labels.data<long>().ToArray(), cat([a.Labels, b.Labels]).data<long>().ToArray());
            Assert.Equal(all.SourceIndices.data<long>().ToArray(), cat([a.SourceIndices, b.SourceIndices]).data<long>().ToArray());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Take_StepOutOfOrder_GivesTheSameBatchAsInOrder(bool augmented)
    {
        using var data = RunData.Open(Options(augmented: augmented));
        using var inOrder = data.Batches(data.Plan());
        using var jumping = data.Batches(data.Plan());
        var expected = Enumerable.Range(0, 6).Select(s => inOrder.Take(s).Images.clone()).ToArray();

        foreach (int step in new[] { 5, 2, 3, 0 })
        {
            Assert.True(jumping.Take(step).Images.equal(expected[step]).all().item<bool>(), $"step {step}");
        }
    }

    [Fact]
    public void Take_BatchesHeldWhileLaterOnesArrive_KeepTheirPixels()
    {
        // Decode buffers are reused from batch to batch: a batch tensor still held must not see a later batch's pixels.
        using var data = RunData.Open(Options());
        using var held = data.Batches(data.Plan());
        using var single = data.Batches(data.Plan());
        var kept = Enumerable.Range(0, 8).Select(s => held.Take(s).Images).ToArray();

        for (int step = 0; step < kept.Length; step++)
        {
            using var expected = single.Take(step).Images;
            Assert.True(kept[step].equal(expected).all().item<bool>(), $"step {step}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Take_OneOrThreeDecodeThreads_IdenticalBatches(bool augmented)
    {
        using var one = RunData.Open(Options(decodeThreads: 1, augmented: augmented));
        using var three = RunData.Open(Options(decodeThreads: 3, augmented: augmented));
        using var a = one.Batches(one.Plan());
        using var b = three.Batches(three.Plan());
        for (int step = 0; step < 4; step++)
        {
            Assert.True(a.Take(step).Images.equal(b.Take(step).Images).all().item<bool>(), $"step {step}");
        }
    }

    [Fact]
    public void Take_Augmented_EachRowIsItsSampleUnderTheKeyOfSeedStepAndSample()
    {
        using var data = RunData.Open(Options(augmented: true));
        using var plain = RunData.Open(Options());
        using var augmented = data.Batches(data.Plan(), 1, 2);
        using var unaugmented = plain.Batches(plain.Plan(), 1, 2);
        var preprocessor = data.Decoder.Preprocessor;
        Assert.NotNull(data.Augmentation);
        Assert.Null(plain.Augmentation);

        foreach (long step in new long[] { 3, 0, 7 })
        {
            using var scope = NewDisposeScope();
            var batch = augmented.Take(step);
            long[] sources = batch.SourceIndices.data<long>().ToArray();
            float[] pixels = batch.Images.data<float>().ToArray();
            var expected = new float[pixels.Length];
            for (int i = 0; i < sources.Length; i++)
            {
                preprocessor.Prepare((int)sources[i], expected.AsSpan(i * preprocessor.RowSize, preprocessor.RowSize), data.Augmentation.ForStep(step));
            }

            Assert.Equal(expected, pixels);
            Assert.False(batch.Images.equal(unaugmented.Take(step).Images).all().item<bool>(), $"step {step} is not augmented");
        }
    }

    [Fact]
    public void Open_Augmented_EvaluationAndTrainingImagesStayUnaugmented()
    {
        using var data = RunData.Open(Options(augmented: true));
        using var plain = RunData.Open(Options());
        using var scope = NewDisposeScope();

        Assert.True(data.Test.Slice(0, data.Test.Count).equal(plain.Test.Slice(0, plain.Test.Count)).all().item<bool>(), "evaluation images");
        var training = data.TrainingImages();
        Assert.True(training.Slice(0, training.Count).equal(plain.TrainingImages().Slice(0, training.Count)).all().item<bool>(), "training images");
    }

    [Fact]
    public void Take_CorruptImageUnderThrow_ThrowsNamingTheRecord()
    {
        CorruptEveryImage();
        using var data = RunData.Open(Options());
        using var batches = data.Batches(data.Plan());

        var error = Assert.Throws<InvalidDataException>(() => batches.Take(0));
        Assert.Contains(_rec + "#", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ClassesBeyondTheSource_ThrowsNamingTheCounts()
    {
        var options = Options();
        options.Data.HeadClasses = 50;

        var error = Assert.Throws<ArgumentException>(() => RunData.Open(options));
        Assert.Contains("HeadClasses = 50", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Overwrites the image bytes (not the headers) of every record after the first image with garbage, so the index still opens.</summary>
    private void CorruptEveryImage()
    {
        using var reader = Leap.Data.RecordIo.RecordIoReader.Open(_rec);
        var records = reader.ImageKeys().Skip(1).Select(k => reader.Read(k)).ToArray();
        reader.Dispose();
        using var file = File.OpenWrite(_rec);
        foreach (var record in records)
        {
            long imageStart = record.Offset + 8 + record.Header.EncodedSize;
            file.Seek(imageStart + 16, SeekOrigin.Begin);
            file.Write(Enumerable.Repeat((byte)0x5A, Math.Min(64, record.Image.Length - 16)).ToArray());
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
