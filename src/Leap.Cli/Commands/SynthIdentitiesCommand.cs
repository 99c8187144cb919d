using System.CommandLine;
using Leap.Data.Synthetic;
using Leap.Launch;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap synth-identities --out DIR [--classes C] [--max-images M] [--min-images m] [--size S] [--seed N] [--pairs P]</c>:
/// writes a long-tailed identity-per-folder tree of learnable PNG images (<see cref="SyntheticIdentities"/>), and with
/// <c>--pairs P</c> an LFW-format DIR/pairs.txt of 10 folds of P matched and P mismatched pairs (<see cref="SyntheticPairs"/>),
/// for trying <c>leap pack</c> / <c>leap launch</c> / <c>leap eval</c> / <c>leap verify</c> without a face data set, and for tests and CI.
/// </summary>
public static class SynthIdentitiesCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write (root/idNNNNN/NNNN.png); must not hold images yet.", Required = true };
        var classes = new Option<int>("--classes") { Description = "Identities.", DefaultValueFactory = _ => 60 };
        var max = new Option<int>("--max-images") { Description = "Images of the largest identity.", DefaultValueFactory = _ => 60 };
        var min = new Option<int>("--min-images") { Description = "Images of the smallest identity.", DefaultValueFactory = _ => 4 };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 32 };
        var seed = new Option<long>("--seed") { Description = "Seed of the identities' looks and the images' variations.", DefaultValueFactory = _ => 1 };
        var pairs = new Option<int>("--pairs") { Description = "Also write OUT/pairs.txt (LFW format): 10 folds of this many matched and mismatched pairs; 0 = none.", DefaultValueFactory = _ => 0 };
        var command = new Command("synth-identities", "Write a long-tailed identity-folder data set of synthetic images (for trying the tools without real data).")
            { output, classes, max, min, size, seed, pairs };
        command.SetAction(parse =>
        {
            var (c, hi, lo, s) = (parse.GetValue(classes), parse.GetValue(max), parse.GetValue(min), parse.GetValue(size));
            string? problem = c is < 1 or > 1_000_000 ? $"--classes = {c} is out of range; allowed [1, 1000000]."
                : lo is < 1 or > 100_000 ? $"--min-images = {lo} is out of range; allowed [1, 100000]."
                : hi < lo || hi > 100_000 ? $"--max-images = {hi} is out of range; allowed [--min-images, 100000]."
                : s is < 8 or > 1024 ? $"--size = {s} is out of range; allowed [8, 1024]."
                : parse.GetValue(pairs) is < 0 or > 100_000 ? $"--pairs = {parse.GetValue(pairs)} is out of range; allowed [0, 100000]."
                : parse.GetValue(pairs) > 0 && (c < 2 || hi < 2) ? "--pairs needs at least 2 identities and one with 2 images."
                : null;
            if (problem is not null)
            {
                Console.Error.WriteLine(problem);
                return ExitCode.InvalidConfiguration;
            }

            var root = parse.GetValue(output)!;
            if (root.Exists && root.EnumerateFileSystemInfos().Any())
            {
                Console.Error.WriteLine($"--out: '{root.FullName}' is not empty; give a new folder.");
                return ExitCode.InvalidConfiguration;
            }

            try
            {
                int images = SyntheticIdentities.Write(root.FullName, c, hi, lo, s, parse.GetValue(seed));
                Console.Out.WriteLine($"Wrote {images} images of {c} identities ({hi} .. {lo} per identity, {s}x{s} PNG) to {root.FullName}");
                if (parse.GetValue(pairs) is int perFold and > 0)
                {
                    string pairsPath = Path.Combine(root.FullName, "pairs.txt");
                    File.WriteAllText(pairsPath, SyntheticPairs.Format(c, hi, lo, 10, perFold, parse.GetValue(seed)));
                    Console.Out.WriteLine($"Wrote 10 folds of {perFold} matched and {perFold} mismatched pairs (LFW pairs.txt format) to {pairsPath}");
                }
                return ExitCode.Completed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write '{root.FullName}': {e.Message}");
                return ExitCode.Failed;
            }
        });
        return command;
    }
}
