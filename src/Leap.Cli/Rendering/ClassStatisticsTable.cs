using Leap.Contracts.V1;
using Spectre.Console;
using static Leap.Cli.Rendering.CentreStatsFormat;

namespace Leap.Cli.Rendering;

/// <summary>One row per requested class: K_i, head/tail, angles in memory, mu_i, sigma_i^2, cloud, alpha std.</summary>
public static class ClassStatisticsTable
{
    public static Table Build(ClassStatisticsReply reply, string service)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var table = new Table()
            .Title(Markup.Escape($"centre service {service}"))
            .Caption(Markup.Escape($"overall σ² = {Number(reply.OverallVariance)}"))
            .AddColumn(new TableColumn("class").RightAligned())
            .AddColumn(new TableColumn("K_i").RightAligned())
            .AddColumn("head/tail")
            .AddColumn(new TableColumn("in memory").RightAligned())
            .AddColumn(new TableColumn("μ_i").RightAligned())
            .AddColumn(new TableColumn("σ_i²").RightAligned())
            .AddColumn("cloud")
            .AddColumn(new TableColumn("α std").RightAligned());
        foreach (var c in reply.Classes)
        {
            table.AddRow(
                Count(c.ClassId), Count(c.Samples), c.Head ? "head" : "tail", $"{Count(c.AngleCount)}/{Count(c.AngleCapacity)}",
                Number(c.MeanAngle), Number(c.Variance), c.Cloud ? "yes" : "no", Number(c.AlphaStd));
        }
        return table;
    }
}
