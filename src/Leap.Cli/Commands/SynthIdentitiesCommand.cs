using System.CommandLine;
using Leap.Data.Synthetic;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap synth-identities --out DIR [--classes C] [--max-images M] [--min-images m] [--size S] [--seed N]</c>: writes a
/// long-tailed identity-per-folder tree of learnable PNG images (<see cref="SyntheticIdentities"/>), for trying
/// <c>leap pack</c> / <c>leap launch</c> / <c>leap eval</c> without a face data set, and for tests and CI.
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
        var command = new Command("synth-identities", "Write a long-tailed identity-folder data set of synthetic images (for trying the tools without real data).")
            { output, classes, max, min, size, seed };
        command.SetAction(parse =>
        {
            var (c, hi, lo, s) = (parse.GetValue(classes), parse.GetValue(max), parse.GetValue(min), parse.GetValue(size));
            string? problem = c is < 1 or > 1_000_000 ? $"--classes = {c} is out of range; allowed [1, 1000000]."
                : lo is < 1 or > 100_000 ? $"--min-images = {lo} is out of range; allowed [1, 100000]."
                : hi < lo || hi > 100_000 ? $"--max-images = {hi} is out of range; allowed [--min-images, 100000]."
                : s is < 8 or > 1024 ? $"--size = {s} is out of range; allowed [8, 1024]."
                : null;
            if (problem is not null)
            {
                Console.Error.WriteLine(problem);
                return Distributed.WorkerExitCode.InvalidConfiguration;
            }

            var root = parse.GetValue(output)!;
            if (root.Exists && root.EnumerateFileSystemInfos().Any())
            {
                Console.Error.WriteLine($"--out: '{root.FullName}' is not empty; give a new folder.");
                return Distributed.WorkerExitCode.InvalidConfiguration;
            }

            try
            {
                int images = SyntheticIdentities.Write(root.FullName, c, hi, lo, s, parse.GetValue(seed));
                Console.Out.WriteLine($"Wrote {images} images of {c} identities ({hi} .. {lo} per identity, {s}x{s} PNG) to {root.FullName}");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write '{root.FullName}': {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
