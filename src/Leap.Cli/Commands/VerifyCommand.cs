using System.CommandLine;
using Leap.Data.Images;
using Leap.Evaluation;
using Leap.Evaluation.VerificationSets;
using Leap.Inference;
using Leap.Launch;
using Leap.Reporting;
using Leap.Runs.Configuration;
using Leap.Training.EvaluationSets;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap verify --model model.onnx | --run DIR --pairs PAIRS [--images DIR] [--protocol FrontalProfile|FrontalFrontal] [--roc FILE.png]</c>:
/// embeds every image the pairs name and scores them with the training's verification metrics
/// (<see cref="VerificationEvaluator"/>: 10-fold accuracy, ROC AUC, TPR at FPR 1e-2 .. 1e-5) and draws the ROC curve.
/// PAIRS is an LFW pairs.txt (images under --images, default its folder), CFP's Protocol folder, or an InsightFace .bin.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var (model, run, checkpoint, config) = EmbedCommand.ModelOptions();
        var pairs = new Option<string>("--pairs") { Description = "LFW pairs.txt, CFP's Protocol folder, or an InsightFace .bin.", Required = true };
        var images = new Option<DirectoryInfo?>("--images") { Description = "LFW pairs.txt: the identity-folder tree (default: the folder of pairs.txt)." };
        var protocol = new Option<CfpProtocol>("--protocol") { Description = "CFP: FrontalProfile or FrontalFrontal.", DefaultValueFactory = _ => CfpProtocol.FrontalProfile };
        var roc = new Option<FileInfo?>("--roc") { Description = "Where to draw the ROC curve (default: NAME-roc.png beside the model, or in the run)." };
        var batch = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 64 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not draw a progress bar." };
        var command = new Command("verify", "Verification accuracy, ROC AUC and TPR@FPR of a trained model on a pair list.")
            { model, run, checkpoint, config, pairs, images, protocol, roc, batch, noProgress };
        command.SetAction(parse => Run(parse.GetValue(model)?.FullName, parse.GetValue(run)?.FullName, parse.GetValue(checkpoint), parse.GetValue(config)?.FullName,
            parse.GetValue(pairs)!, parse.GetValue(images)?.FullName, parse.GetValue(protocol), parse.GetValue(roc)?.FullName, parse.GetValue(batch), parse.GetValue(noProgress)));
        return command;
    }

    public static int Run(string? modelPath, string? runDirectory, string? checkpoint, string? configPath, string pairsPath, string? imagesRoot,
        CfpProtocol protocol, string? rocPath, int batchSize, bool noProgress) =>
        ModelCommandExit.Guard(() =>
        {
            if (batchSize < 1)
            {
                throw new ConfigurationException($"--batch-size = {batchSize}; it must be at least 1.");
            }
            using var model = EmbeddingModels.Open(modelPath, runDirectory, checkpoint, configPath);
            var data = ReadPairs(pairsPath, imagesRoot, protocol, model.Metadata.Channels);
            using var source = data.Images;
            if (data.Pairs.Count < 20 || data.Pairs.PositiveCount == 0 || data.Pairs.NegativeCount == 0)
            {
                throw new InvalidDataException($"'{pairsPath}' has {data.Pairs.Count} pairs ({data.Pairs.PositiveCount} same); 10-fold verification needs at least 20 of both kinds.");
            }
            float[] rows = EmbedCommand.WithProgress(!noProgress, source.Count, $"embed {data.Name}", report => SourceEmbedder.Embed(model, source, batchSize, report));
            var embeddings = new Embeddings(rows, model.Metadata.EmbeddingDimension);
            var report = VerificationEvaluator.Evaluate(embeddings, data.Pairs);
            var roc = VerificationEvaluator.Roc(data.Pairs.CosineScores(embeddings), data.Pairs.IsSame());
            string figure = rocPath ?? DefaultRocPath(modelPath, runDirectory, data.Name);
            RocFigure.Save(figure, roc, $"{data.Name}: ROC of {Path.GetFileName(modelPath ?? runDirectory)}",
                $"{data.Pairs.Count} pairs, AUC {report.Auc:F4}, 10-fold accuracy {report.Accuracy.Mean * 100:F2}%");
            Console.WriteLine($"{data.Name}: {data.Pairs.Count} pairs ({data.Pairs.PositiveCount} same) over {source.Count} images, {model.Description}");
            Console.Write(VerificationReportFormatter.Format(report));
            Console.WriteLine($"ROC curve written to {figure}");
            return ExitCode.Completed;
        });

    private static VerificationPairData ReadPairs(string path, string? imagesRoot, CfpProtocol protocol, int channels)
    {
        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = channels == 1 ? ImageChannels.Grey : ImageChannels.Rgb });
        if (Directory.Exists(path))
        {
            return VerificationPairFiles.ReadCfp(path, protocol, decoder);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--pairs '{path}' is neither a pairs file nor a CFP Protocol folder.", path);
        }
        return path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)
            ? VerificationPairFiles.ReadBin(path, decoder)
            : VerificationPairFiles.ReadLfwPairs(path, imagesRoot, decoder);
    }

    private static string DefaultRocPath(string? modelPath, string? runDirectory, string name) => modelPath is not null
        ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, $"{Path.GetFileNameWithoutExtension(modelPath)}-{name}-roc.png")
        : Path.Combine(runDirectory!, $"{name}-roc.png");
}
