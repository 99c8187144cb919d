namespace Leap.Evaluation;

/// <summary>Per-class angular spread and its head / tail summaries (the paper's head vs tail intra-class spread).</summary>
public sealed record AngularSpreadReport(
    IReadOnlyList<ClassAngularSpread> PerClass,
    GroupAngularSpread Head,
    GroupAngularSpread Tail);
