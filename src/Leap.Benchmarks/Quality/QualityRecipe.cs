using System.Text.RegularExpressions;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// What must match for a cached cell to count for a budget: its training steps and its augmentation, in the words
/// of the budget text ("no augmentation" or "random flip + pad-crop N").
/// </summary>
public sealed partial record QualityRecipe(long Steps, string Augmentation)
{
    public const string NoAugmentation = "no augmentation";

    /// <summary>The augmentation named in a cell's budget text; cells recorded before augmentation existed name none.</summary>
    public static string AugmentationIn(string budgetText)
    {
        ArgumentNullException.ThrowIfNull(budgetText);
        Match match = FlipPadCrop().Match(budgetText);
        return match.Success ? match.Value : NoAugmentation;
    }

    public override string ToString() => $"{Steps} steps, {Augmentation}";

    [GeneratedRegex(@"random flip \+ pad-crop \d+", RegexOptions.CultureInvariant)]
    private static partial Regex FlipPadCrop();
}
