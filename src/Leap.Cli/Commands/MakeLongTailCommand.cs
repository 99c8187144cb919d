using System.CommandLine;
using System.Globalization;
using Leap.Data;
using Leap.Launch;
using Spectre.Console;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap make-longtail</c>: the paper's protocol — rank classes by sample count, keep the top H whole, cut the next
/// T to S samples each (seeded) — written as a manifest recording every class's K_i and head/tail flag.
/// </summary>
public static class MakeLongTailCommand
{
    public static Command Create()
    {
        var idx = new Option<DirectoryInfo?>("--idx") { Description = "MNIST-layout folder (uses train-labels-idx1-ubyte[.gz])." };
        var folder = new Option<DirectoryInfo?>("--folder") { Description = "Identity-per-folder image tree." };
        var head = new Option<int>("--head") { Description = "H: head classes kept whole.", Required = true };
        var tail = new Option<int?>("--tail") { Description = "T: tail classes after the head (default: all remaining)." };
        var perTail = new Option<int>("--per-tail") { Description = "S: samples kept per tail class.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the tail draws.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "Manifest path (JSON).", Required = true };
        var command = new Command("make-longtail", "Build a long-tailed training split (<H,S> / <H,T> protocol) and write its manifest.")
        {
            idx, folder, head, tail, perTail, seed, output,
        };
        command.SetAction(parse =>
        {
            var idxDir = parse.GetValue(idx);
            var folderDir = parse.GetValue(folder);
            if ((idxDir is null) == (folderDir is null))
            {
                Console.Error.WriteLine("Give exactly one of --idx or --folder.");
                return ExitCode.InvalidConfiguration;
            }
            int[] labels;
            IReadOnlyList<string>? names = null;
            try
            {
                if (idxDir is not null)
                {
                    labels = IdxFile.ReadLabels(Leap.Data.Sources.IdxImageSource.Files(idxDir.FullName, "train").Labels).ToInt32Array();
                }
                else
                {
                    var listing = IdentityFolderListing.Read(folderDir!.FullName);
                    labels = listing.Labels();
                    names = listing.ClassNames;
                }
                var options = new LongTailOptions(parse.GetValue(head), parse.GetValue(tail), parse.GetValue(perTail), parse.GetValue(seed));
                var manifest = new LongTailSplitBuilder(options).Build(labels);
                var path = parse.GetValue(output)!;
                Directory.CreateDirectory(path.DirectoryName ?? ".");
                manifest.Save(path.FullName);
                var table = new Table().Title($"{options}: {labels.Length} source samples -> {manifest.KeptSampleCount} kept")
                    .AddColumn("group").AddColumn(new TableColumn("classes").RightAligned()).AddColumn(new TableColumn("samples").RightAligned())
                    .AddColumn(new TableColumn("K_i range").RightAligned());
                foreach (var (group, classes) in new[] { ("head", manifest.Classes.Where(c => c.IsHead).ToList()), ("tail", manifest.Classes.Where(c => !c.IsHead).ToList()) })
                {
                    string range = classes.Count == 0 ? "-" : $"{classes.Min(c => c.KeptCount)}..{classes.Max(c => c.KeptCount)}";
                    table.AddRow(group, classes.Count.ToString(CultureInfo.InvariantCulture), classes.Sum(c => c.KeptCount).ToString(CultureInfo.InvariantCulture), range);
                }
                AnsiConsole.Write(table);
                Console.WriteLine($"Manifest written to {path.FullName}{(names is null ? "" : $" ({names.Count} identities listed)")}");
                return ExitCode.Completed;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCode.Failed;
            }
        });
        return command;
    }
}
