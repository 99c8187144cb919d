using System.CommandLine;
using Leap.Inference;
using Leap.Launch;
using Leap.Runs.Configuration;
using Spectre.Console;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap embed --model model.onnx | --run DIR --input FOLDER|FILE.rec|LIST --out FILE.npy</c>: L2-normalised embeddings
/// of every input image as a float32 [N, D] .npy, and FILE.txt beside it listing each image's id and label (tab-separated)
/// in row order.
/// </summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var (model, run, checkpoint, config) = ModelOptions();
        var input = new Option<string>("--input") { Description = "An identity-per-folder tree, an InsightFace .rec (with its .idx), or a list file ('path [label]' per line).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The .npy file to write; the image list goes to the same name with .txt.", Required = true };
        var batch = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 64 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not draw a progress bar." };
        var command = new Command("embed", "Embed images with a trained model (L2-normalised, to .npy).") { model, run, checkpoint, config, input, output, batch, noProgress };
        command.SetAction(parse => Run(parse.GetValue(model)?.FullName, parse.GetValue(run)?.FullName, parse.GetValue(checkpoint), parse.GetValue(config)?.FullName,
            parse.GetValue(input)!, parse.GetValue(output)!.FullName, parse.GetValue(batch), parse.GetValue(noProgress)));
        return command;
    }

    /// <summary>The model options leap embed and leap verify share.</summary>
    internal static (Option<FileInfo?> Model, Option<DirectoryInfo?> Run, Option<string> Checkpoint, Option<FileInfo?> Config) ModelOptions() => (
        new Option<FileInfo?>("--model") { Description = "An ONNX model written by leap export." },
        new Option<DirectoryInfo?>("--run") { Description = "A run directory: use its checkpoint with TorchSharp instead of an exported model." },
        new Option<string>("--checkpoint") { Description = "With --run: 'latest' or the step of a checkpoint.", DefaultValueFactory = _ => "latest" },
        new Option<FileInfo?>("--config") { Description = "With --run: the run's configuration, for runs without config.json." });

    public static int Run(string? modelPath, string? runDirectory, string? checkpoint, string? configPath, string input, string outputPath, int batchSize, bool noProgress) =>
        ModelCommandExit.Guard(() =>
        {
            if (batchSize < 1)
            {
                throw new ConfigurationException($"--batch-size = {batchSize}; it must be at least 1.");
            }
            using var model = EmbeddingModels.Open(modelPath, runDirectory, checkpoint, configPath);
            using var images = EmbeddingInput.Open(input, model.Metadata.Channels);
            float[] embeddings = WithProgress(!noProgress, images.Source.Count, "embed", report => SourceEmbedder.Embed(model, images.Source, batchSize, report));
            int dimension = model.Metadata.EmbeddingDimension;
            NpyFile.Write(outputPath, embeddings, images.Source.Count, dimension);
            string listPath = Path.ChangeExtension(outputPath, ".txt");
            File.WriteAllLines(listPath, images.Ids.Zip(images.Labels, (id, label) => $"{id}\t{label}"));
            Console.WriteLine($"{images.Source.Count} embeddings of dimension {dimension} (L2-normalised, {model.Description}) written to {outputPath}; image list {listPath}");
            return ExitCode.Completed;
        });

    /// <summary>Runs <paramref name="work"/> under a Spectre.Console progress bar of <paramref name="total"/> items (or none).</summary>
    internal static T WithProgress<T>(bool draw, int total, string description, Func<Action<int>, T> work)
    {
        if (!draw)
        {
            return work(_ => { });
        }
        T result = default!;
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                result = work(done => task.Value = done);
            });
        return result;
    }
}
