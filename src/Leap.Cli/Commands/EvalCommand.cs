using System.CommandLine;
using Leap.Cli.Rendering;
using Leap.Launch;
using Leap.Runs;
using Leap.Training.Engine;
using Leap.Training.EvaluationSets;
using Spectre.Console;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap eval --run DIR [--checkpoint latest|STEP] [--json FILE]</c>: reopens a run from its config.json and a
/// checkpoint and evaluates it on the run's test images exactly as the end of <c>leap train</c> does (same seeded
/// pairs): closed-set head/tail accuracy, 10-fold verification accuracy, TPR@FPR, angular spread head vs tail.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Run directory (OutputDirectory of leap train).", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "'latest' or the step of a checkpoint.", DefaultValueFactory = _ => "latest" };
        var json = new Option<FileInfo?>("--json") { Description = "Where to write the evaluation JSON (default: RUN/evaluation-step-N.json)." };
        var config = new Option<FileInfo?>("--config") { Description = "The run's configuration, for runs without config.json." };
        var command = new Command("eval", "Evaluate a run's checkpoint on its held-out test images.") { run, checkpoint, json, config };
        command.SetAction(parse => Run(parse.GetValue(run)!.FullName, parse.GetValue(checkpoint), parse.GetValue(json)?.FullName, parse.GetValue(config)?.FullName));
        return command;
    }

    public static int Run(string runDirectory, string? checkpointText, string? jsonPath, string? configPath)
    {
        if (CheckpointChoice.TryParse(checkpointText) is not CheckpointChoice choice)
        {
            Console.Error.WriteLine($"--checkpoint must be 'latest' or a step number, got '{checkpointText}'.");
            return ExitCode.InvalidConfiguration;
        }
        return RunCommandExit.Guard(() =>
        {
            using var run = TrainedRun.Open(runDirectory, choice, configPath);
            using var sets = EvaluationSetFactory.Open(run.Options.Evaluation, run.Options.Data);
            var evaluator = new RunEvaluator(run.Data.Test, run.Data.HeadClasses, run.Options.Evaluation.Pairs, run.Options.Seed, sets: sets);
            var summary = evaluator.Evaluate(run.Session);
            string path = jsonPath ?? Path.Combine(run.Directory, $"evaluation-step-{summary.Step}.json");
            EvaluationJson.Write(path, summary);
            EvaluationTable.Write(AnsiConsole.Console, summary, $"{run.Method} on {run.Data.Manifest.Options}, checkpoint of step {summary.Step}");
            Console.WriteLine($"Evaluation written to {path}");
            return ExitCode.Completed;
        });
    }
}
