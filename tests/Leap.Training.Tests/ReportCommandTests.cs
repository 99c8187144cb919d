using System.Text.Json;
using Leap.Data;
using SkiaSharp;

namespace Leap.Training.Tests;

/// <summary>`leap report` as a real process on the baseline and LEAP runs of <see cref="TinyRunsFixture"/>.</summary>
public sealed class ReportCommandTests(TinyRunsFixture runs) : IClassFixture<TinyRunsFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Report_BaselineAndLeap_WritesDecodablePngsAndTheNumbersBehindThem()
    {
        string output = Path.Combine(runs.Root, "report");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "report", "--run", runs.Baseline, "--compare", runs.Leap, "--out", output,
            "--bins", "25", "--tsne-points", "30");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        foreach (var (file, width, height) in new[] { ("angles.png", 2 * 560, 420), ("tsne.png", 2 * 640, 480), ("curves.png", 2 * 560, 2 * 420) })
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(output, file));
            Assert.NotNull(bitmap);
            Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
            Assert.True(DistinctColours(bitmap) > 20, $"{file} looks blank");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        var reported = json.RootElement.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(2, reported.Length);
        var manifest = LongTailManifest.Load(Path.Combine(runs.Baseline, "longtail-manifest.json"));
        int headImages = manifest.Classes.Where(c => c.IsHead).Sum(c => c.KeptCount);
        Assert.Equal(TinyRunsFixture.TrainingImages, manifest.KeptSampleCount);
        foreach (var run in reported)
        {
            Assert.Equal(TinyRunsFixture.Steps, run.GetProperty("step").GetInt64());
            Assert.Equal(manifest.KeptSampleCount, run.GetProperty("feature_count").GetInt32());
            Assert.Equal(headImages, run.GetProperty("head_features").GetInt32());
            var histogram = run.GetProperty("angle_histogram");
            long[] head = histogram.GetProperty("head_counts").EnumerateArray().Select(c => c.GetInt64()).ToArray();
            long[] tail = histogram.GetProperty("tail_counts").EnumerateArray().Select(c => c.GetInt64()).ToArray();
            Assert.Equal(25, head.Length);
            Assert.Equal(headImages, head.Sum());
            Assert.Equal(manifest.KeptSampleCount - headImages, tail.Sum());
            Assert.Equal(0, histogram.GetProperty("minimum").GetDouble());
            // t-SNE: 3 head classes x 30 points + 3 tail classes x all 8 of theirs.
            Assert.Equal((3 * 30) + (3 * TinyRunsFixture.SamplesPerTailClass), run.GetProperty("tsne").GetProperty("point_count").GetInt32());
            Assert.Equal(TinyRunsFixture.Steps, run.GetProperty("metrics_steps").GetInt32());
            Assert.Equal(2, run.GetProperty("validation_points").GetInt32());
        }
        Assert.Contains("LEAP Full", reported[1].GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Contains("baseline", reported[0].GetProperty("label").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_TooManyTsnePoints_ExitsTwoNamingTheOption()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "report", "--run", runs.Baseline, "--out", Path.Combine(runs.Root, "r2"), "--tsne-points", "5000");

        Assert.Equal(2, code);
        Assert.Contains("--tsne-points", error, StringComparison.Ordinal);
    }

    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }
        return colours.Count;
    }
}
