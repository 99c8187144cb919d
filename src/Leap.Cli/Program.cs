using System.CommandLine;
using Leap.Cli;
using Leap.Cli.Commands;

// First, before libtorch allocates: keep the memory it frees (see NativeHeapRetention).
try
{
    Leap.Launch.NativeHeapRetention.Apply();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return Leap.Launch.ExitCode.InvalidConfiguration;
}

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
    new Command("bench", "Benchmarks (long-running; not tests).") { BenchQualityCommand.Create(), BenchAllReduceCommand.Create(), BenchCentreCommand.Create(), BenchRefreshCommand.Create(), BenchReportCommand.Create() },
};
PerformanceBenchCommands.AddTo(root);
// Ctrl-C / SIGTERM cancel the command's token; a training run then finishes its step and writes its checkpoint before
// exiting 130. System.CommandLine's default would end the process 2 s after the signal, before the checkpoint is written.
// A service started by `leap launch` leaves the signals to its host, which ignores Ctrl-C (LaunchedService).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration
{
    ProcessTerminationTimeout = Leap.Launch.LaunchedService.IsThisProcess ? null : InterruptGracePeriod.Value,
});
