using System.CommandLine;
using System.Globalization;
using Leap.Data;
using Leap.Data.RecordIo;
using Leap.Launch;
using Spectre.Console;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap pack --input DIR --output PREFIX [--size N] [--skip-corrupt]</c>: an identity-per-folder tree to an
/// InsightFace-style PREFIX.rec + PREFIX.idx (record 0 = header, one record per image, one per identity; see
/// <see cref="IdentityFolderPacker"/>) and a <c>property</c> file "classes,height,width" beside them. Every image is
/// decoded first: a corrupt one stops the pack naming the file (exit 1), or with --skip-corrupt is left out, counted
/// and listed.
/// </summary>
public static class PackCommand
{
    public static Command Create()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Identity-per-folder image tree (root/identity/image.jpg).", Required = true };
        var output = new Option<string>("--output") { Description = "Output prefix: writes PREFIX.rec, PREFIX.idx and 'property' in its folder (e.g. out/train).", Required = true };
        var size = new Option<int?>("--size") { Description = "Resize every image to N x N (re-encoded); default: store the files unchanged." };
        var skip = new Option<bool>("--skip-corrupt") { Description = "Leave undecodable images out (counted and listed) instead of failing." };
        var progress = new Option<bool>("--no-progress") { Description = "Do not draw a progress bar." };
        var command = new Command("pack", "Pack an identity-per-folder image tree into InsightFace RecordIO (.rec/.idx).") { input, output, size, skip, progress };
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(size), parse.GetValue(skip), parse.GetValue(progress)));
        return command;
    }

    public static int Run(DirectoryInfo input, string prefix, int? size, bool skipCorrupt, bool noProgress)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (size is <= 0)
        {
            Console.Error.WriteLine($"--size must be a positive number of pixels, got {size}.");
            return ExitCode.InvalidConfiguration;
        }
        if (!input.Exists)
        {
            Console.Error.WriteLine($"--input: folder '{input.FullName}' does not exist.");
            return ExitCode.InvalidConfiguration;
        }
        if (string.IsNullOrWhiteSpace(prefix) || prefix.EndsWith('/') || Directory.Exists(prefix))
        {
            Console.Error.WriteLine($"--output: '{prefix}' is not a file prefix (give e.g. out/train to write out/train.rec and out/train.idx).");
            return ExitCode.InvalidConfiguration;
        }

        var listing = IdentityFolderListing.Read(input.FullName);
        if (listing.Images.Count == 0)
        {
            Console.Error.WriteLine($"--input: no images (.jpg, .jpeg, .png, .pgm) in identity folders under '{input.FullName}'.");
            return ExitCode.InvalidConfiguration;
        }

        string recPath = Path.GetFullPath(prefix + ".rec");
        if (OutputProblem(Path.GetDirectoryName(recPath)!) is { } problem)
        {
            Console.Error.WriteLine($"--output: cannot write to '{Path.GetDirectoryName(recPath)}': {problem}");
            return ExitCode.InvalidConfiguration;
        }
        var encoder = new PackedImageEncoder(size);
        var skipped = new List<(string Path, string Reason)>();
        (int Height, int Width)? firstSize = null;
        RecordIoPackSummary? summary = null;
        try
        {
            WithProgress(!noProgress, (check, pack) =>
            {
                check.MaxValue = listing.Images.Count;
                foreach (IdentityImage image in listing.Images)
                {
                    try
                    {
                        var dims = encoder.Check(image.Path);
                        firstSize ??= dims;
                    }
                    catch (InvalidDataException e) when (skipCorrupt)
                    {
                        skipped.Add((image.Path, e.Message));
                    }
                    check.Increment(1);
                }

                var kept = skipped.Count == 0 ? listing : listing.Without(skipped.Select(s => s.Path).ToHashSet(StringComparer.Ordinal));
                pack.MaxValue = Math.Max(1, kept.Images.Count);
                summary = IdentityFolderPacker.Pack(kept, recPath, readImage: i => encoder.Encode(i.Path), imageWritten: n => pack.Value = n);
            });
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Use --skip-corrupt to leave undecodable images out.");
            return ExitCode.Failed;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"--output: cannot write '{recPath}': {e.Message}");
            return ExitCode.InvalidConfiguration;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.Failed;
        }

        foreach (var (path, reason) in skipped)
        {
            Console.WriteLine($"skipped corrupt image {path}: {reason}");
        }
        if (summary is null || summary.ImageCount == 0)
        {
            Console.Error.WriteLine("error: every image was corrupt; nothing was packed.");
            return ExitCode.Failed;
        }

        var (height, width) = size is int n ? (n, n) : firstSize!.Value;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(recPath)!, "property"),
            string.Create(CultureInfo.InvariantCulture, $"{summary.ClassCount},{height},{width}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Packed {summary.ImageCount} images of {summary.ClassCount} identities into {summary.RecPath} ({summary.RecBytes} bytes) and {summary.IdxPath}; {skipped.Count} corrupt images skipped."));
        return ExitCode.Completed;
    }

    /// <summary>Creates <paramref name="folder"/> and checks a file can be created in it: null when it can, else why not.</summary>
    private static string? OutputProblem(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $".leap-pack-{Guid.NewGuid():N}.probe"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Runs <paramref name="work"/> with a "check" and a "pack" progress task, drawn only on an interactive console.</summary>
    private static void WithProgress(bool draw, Action<PackProgress, PackProgress> work)
    {
        if (!draw || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(new PackProgress(null), new PackProgress(null));
            return;
        }
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new PackProgress(ctx.AddTask("check images")), new PackProgress(ctx.AddTask("pack"))));
    }

    /// <summary>A progress task, or nothing when no bar is drawn.</summary>
    private sealed class PackProgress(ProgressTask? task)
    {
        public double MaxValue { set { if (task is not null) { task.MaxValue = value; } } }
        public double Value { set { if (task is not null) { task.Value = value; } } }
        public void Increment(double amount) => task?.Increment(amount);
    }
}
