using System.CommandLine;
using Leap.Inference;
using Leap.Launch;
using Leap.Onnx;
using Leap.Runs;
using Leap.Runs.Configuration;
using Leap.Training.Export;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap export --run DIR [--checkpoint latest|N] --out model.onnx [--fold-bn]</c>: the run's embedding network as
/// ONNX (<see cref="EmbeddingNetworkExport"/>): input <c>images</c> [N, C, H, W], output <c>embeddings</c> [N, D], the
/// preprocessing and training summary in its metadata.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Run directory (OutputDirectory of leap train / leap launch).", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "'latest' or the step of a checkpoint.", DefaultValueFactory = _ => "latest" };
        var output = new Option<FileInfo>("--out") { Description = "The .onnx file to write.", Required = true };
        var fold = new Option<bool>("--fold-bn") { Description = "Fold batch norms into the convolution / linear layer before them." };
        var config = new Option<FileInfo?>("--config") { Description = "The run's configuration, for runs without config.json." };
        var command = new Command("export", "Export a run's embedding network as an ONNX model.") { run, checkpoint, output, fold, config };
        command.SetAction(parse => Run(parse.GetValue(run)!.FullName, parse.GetValue(checkpoint), parse.GetValue(output)!.FullName,
            parse.GetValue(fold), parse.GetValue(config)?.FullName));
        return command;
    }

    public static int Run(string runDirectory, string? checkpointText, string outputPath, bool foldBatchNorm, string? configPath) =>
        ModelCommandExit.Guard(() =>
        {
            var choice = CheckpointChoice.TryParse(checkpointText)
                ?? throw new ConfigurationException($"--checkpoint must be 'latest' or a step number, got '{checkpointText}'.");
            using var trained = TrainedNetwork.Open(runDirectory, choice, configPath);
            var model = EmbeddingNetworkExport.ToOnnx(trained.Network, trained.Metadata, foldBatchNorm);
            OnnxModelFile.Write(outputPath, model);
            var m = trained.Metadata;
            Console.WriteLine($"Exported {m.Backbone} (D = {m.EmbeddingDimension}) of checkpoint {trained.Checkpoint} to {outputPath}");
            Console.WriteLine($"  input '{EmbeddingNetworkExport.InputName}' [N, {m.Channels}, {m.Height}, {m.Width}], output '{EmbeddingNetworkExport.OutputName}' [N, {m.EmbeddingDimension}], opset {EmbeddingNetworkExport.Opset}, " +
                $"{model.Graph.Node.Count} nodes, batch norms {(foldBatchNorm ? "folded" : "kept")}");
            Console.WriteLine($"  preprocessing: pixels in [0, 1], mean [{string.Join(", ", m.Mean)}], std [{string.Join(", ", m.Std)}]; trained: {m.Training}");
            return ExitCode.Completed;
        });
}
