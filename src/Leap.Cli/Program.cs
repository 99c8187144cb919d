using System.CommandLine;
using Leap.Cli.Commands;

var root = new RootCommand("leap: LEAP (learnable embedding augmentation) training for long-tailed data.")
{
    TrainCommand.Create(),
    MakeLongTailCommand.Create(),
    PackCommand.Create(), SynthIdentitiesCommand.Create(), EvalCommand.Create(), ReportCommand.Create(),
    ExportCommand.Create(), EmbedCommand.Create(), VerifyCommand.Create(),
    CoordinatorCommand.Create(),
    WorkerCommand.Create(),
    LaunchCommand.Create(),
    CentreServiceCommand.Create(), StatsCommand.Create(),
    new Command("bench", "Benchmarks (long-running; not tests).") { BenchQualityCommand.Create(), BenchAllReduceCommand.Create(), BenchCentreCommand.Create(), BenchReportCommand.Create() },
};
PerformanceBenchCommands.AddTo(root);
return await root.Parse(args).InvokeAsync();
