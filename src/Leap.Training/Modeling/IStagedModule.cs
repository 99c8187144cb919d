namespace Leap.Training.Modeling;

/// <summary>A backbone that can be cut into <see cref="NetworkStage"/>s (stem, each residual stage, head).</summary>
public interface IStagedModule
{
    /// <summary>The stages in forward order; together they hold every parameter of the module exactly once.</summary>
    IReadOnlyList<NetworkStage> Stages();
}
