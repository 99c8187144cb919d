using System.Text.RegularExpressions;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// What must match for a cached cell to count for a budget: its training steps, its augmentation and its input size,
/// in the words of the budget text ("no augmentation", "random flip" or "random flip + pad-crop N[, random erasing p]"; "faces WxH" or
/// "re-ID WxH").
/// </summary>
public sealed partial record QualityRecipe(long Steps, string Augmentation, string Input)
{
    public const string NoAugmentation = "no augmentation";

    /// <summary>Random horizontal flip alone (the faces' augmentation since the v2 grid's LFW cells).</summary>
    public const string FlipOnly = "random flip";

    /// <summary>The recipe a cell's budget text records; a face split (LFW) reads its face input, any other its re-ID input.</summary>
    public static QualityRecipe Of(long steps, string budgetText, bool faces) => new(steps, AugmentationIn(budgetText), InputIn(budgetText, faces));

    /// <summary>The recipe of a cell of <paramref name="split"/> whose budget text is <paramref name="budgetText"/>.</summary>
    public static QualityRecipe Of(long steps, string budgetText, string split) => Of(steps, budgetText, IsFaceSplit(split));

    /// <summary>
    /// Whether a split, by name, is a face split (LFW) and reads the face input of a budget text: the one rule for both
    /// the cached results and the budget's own recipe, so the two cannot disagree.
    /// </summary>
    public static bool IsFaceSplit(string split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return split.StartsWith("lfw", StringComparison.Ordinal);
    }

    /// <summary>The augmentation named in a cell's budget text; cells recorded before augmentation existed name none.</summary>
    public static string AugmentationIn(string budgetText)
    {
        ArgumentNullException.ThrowIfNull(budgetText);
        Match match = Flip().Match(budgetText);
        return match.Success ? match.Value : NoAugmentation;
    }

    /// <summary>The input size named in a budget text ("faces 112x112", "re-ID 64x128"), or "" when it names none.</summary>
    /// <remarks>The first grid's early texts name both inputs, so the split's kind picks one.</remarks>
    public static string InputIn(string budgetText, bool faces)
    {
        ArgumentNullException.ThrowIfNull(budgetText);
        Match match = (faces ? FaceInput() : ReIdInput()).Match(budgetText);
        return match.Success ? match.Value : "";
    }

    public override string ToString() => $"{Steps} steps, {Augmentation}, {Input}";

    [GeneratedRegex(@"random flip( \+ pad-crop \d+(, random erasing [0-9.E+-]+)?)?", RegexOptions.CultureInvariant)]
    private static partial Regex Flip();

    [GeneratedRegex(@"faces \d+x\d+", RegexOptions.CultureInvariant)]
    private static partial Regex FaceInput();

    [GeneratedRegex(@"re-ID \d+x\d+", RegexOptions.CultureInvariant)]
    private static partial Regex ReIdInput();
}
