using System.Diagnostics;
using System.Globalization;
using Leap.Training.Configuration;
using Leap.Training.Data;
using SkiaSharp;
using static TorchSharp.torch;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// Our side of `leap bench data`: the trainer's own input path, consumed as fast as it produces. The run's data
/// (<see cref="RunData"/> over the packed .rec: index, split, seeded epoch plan) streams batches through
/// <see cref="PrefetchingBatches"/> (decode, resize and normalise on Data:DecodeThreads threads, Data:PrefetchBatches
/// queued), and each batch gets the trainer's <see cref="BatchAugmentation"/> exactly as <c>LocalStep</c> applies it.
/// </summary>
/// <param name="imagePaths">The file each record was packed from, by source index (for the image list and the codec timing).</param>
public sealed class LoaderThroughputProbe(RunData data, TrainingOptions options, IReadOnlyList<string> imagePaths)
{
    private const int ProfiledImages = 200;
    private const int ProfilePasses = 3;

    public LoaderTiming Run(string dataset, int warmupBatches, int batches, double loadAverage)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        var plan = data.Plan();
        var augmentation = new BatchAugmentation(options.Augmentation, options.Seed);
        var process = Process.GetCurrentProcess();
        long[] shape = [];
        TimeSpan wait = TimeSpan.Zero, take = TimeSpan.Zero, augment = TimeSpan.Zero, cpu = TimeSpan.Zero;
        int gen2 = 0;
        var clock = new Stopwatch();
        using (var stream = data.Batches(plan))
        {
            for (long step = 0; step < warmupBatches + batches; step++)
            {
                if (step == warmupBatches)
                {
                    process.Refresh();
                    cpu = process.TotalProcessorTime;
                    gen2 = GC.CollectionCount(2);
                    clock.Start();
                }

                using var scope = NewDisposeScope();
                long started = Stopwatch.GetTimestamp();
                var batch = stream.Take(step);
                long taken = Stopwatch.GetTimestamp();
                Tensor images = augmentation.Apply(batch.Images, batch.SourceIndices.data<long>().ToArray(), step);
                if (step >= warmupBatches)
                {
                    take += Stopwatch.GetElapsedTime(started, taken);
                    augment += Stopwatch.GetElapsedTime(taken);
                    wait += batch.Wait;
                }

                shape = images.shape;
            }

            clock.Stop();
            gen2 = GC.CollectionCount(2) - gen2;
            process.Refresh();
            cpu = process.TotalProcessorTime - cpu;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        double timedImages = (double)batches * options.BatchSize;
        var (codec, decode, sample) = Profile(Math.Min(ProfiledImages, data.Train.Count));
        return new LoaderTiming("leap", $"Leap.Distributed, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, SkiaSharp {typeof(SKCodec).Assembly.GetName().Version}",
            dataset, data.Train.Count, options.BatchSize, options.Data.DecodeThreads, options.Data.PrefetchBatches, warmupBatches, batches, shape,
            options.Augmentation.PadCrop, seconds, timedImages / seconds, cpu.TotalSeconds / timedImages, codec, decode, sample, loadAverage)
        {
            WaitFraction = wait.TotalSeconds / seconds,
            BatchSecondsPerBatch = (take - wait).TotalSeconds / batches,
            AugmentSecondsPerBatch = augment.TotalSeconds / batches,
            Gen2Collections = gen2,
        };
    }

    /// <summary>
    /// One image at a time on this thread over the first <paramref name="images"/> training rows, the fastest of three
    /// passes after an untimed one:
    /// seconds per image for the codec alone (the file's bytes to 8-bit RGBA by SkiaSharp, as our decoder calls it), for
    /// reading and decoding a record as the loader does, and for preparing it (decode, resize, normalise) into a row.
    /// </summary>
    public (double Codec, double Decode, double Sample) Profile(int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        var preprocessor = data.Decoder.Preprocessor;
        int[] sources = Enumerable.Range(0, images).Select(r => data.Train.SourceIndex(r)).ToArray();
        byte[][] files = sources.Select(s => File.ReadAllBytes(imagePaths[s])).ToArray();
        var row = new float[preprocessor.RowSize];
        double Time(Action<int> work)
        {
            for (int i = 0; i < images; i++)
            {
                work(i);
            }

            double best = double.MaxValue;
            for (int pass = 0; pass < ProfilePasses; pass++)
            {
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < images; i++)
                {
                    work(i);
                }

                best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalSeconds / images);
            }

            return best;
        }

        return (Time(i => DecodeRgba(files[i])), Time(i => preprocessor.Source.Load(sources[i])), Time(i => preprocessor.Prepare(sources[i], row)));
    }

    /// <summary>The training rows as "path TAB label" lines, for the PyTorch peer to sample from the same images.</summary>
    public void WriteImageList(string path)
    {
        using var writer = new StreamWriter(path);
        for (int row = 0; row < data.Train.Count; row++)
        {
            writer.Write(imagePaths[data.Train.SourceIndex(row)]);
            writer.Write('\t');
            writer.WriteLine(data.Train.Label(row).ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void DecodeRgba(byte[] bytes)
    {
        using var encoded = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(encoded) ?? throw new InvalidDataException("Not an image SkiaSharp decodes.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        codec.GetPixels(info, new byte[info.BytesSize]);
    }
}
