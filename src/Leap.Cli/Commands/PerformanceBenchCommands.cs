using System.CommandLine;

namespace Leap.Cli.Commands;

/// <summary>The performance benchmarks under <c>leap bench</c>: step (vs PyTorch), leap-overhead, classifier (scaling) and data (input pipeline vs PyTorch's DataLoader) job (distributed job throughput vs PyTorch DDP) and overlap (gradient all-reduce overlapped with backward or not).</summary>
public static class PerformanceBenchCommands
{
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var bench = root.Subcommands.Single(c => c.Name == "bench");
        bench.Subcommands.Add(BenchStepCommand.Create());
        bench.Subcommands.Add(BenchLeapOverheadCommand.Create());
        bench.Subcommands.Add(BenchClassifierCommand.Create());
        bench.Subcommands.Add(BenchDataCommand.Create());
        bench.Subcommands.Add(BenchJobCommand.Create());
        bench.Subcommands.Add(BenchOverlapCommand.Create());
    }
}
