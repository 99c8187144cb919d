namespace Leap.Benchmarks.Quality;

/// <summary>
/// How LFW cells train and are scored. One choice, not separate switches, so that the recipe text a cached cell records
/// ("no augmentation" against "random flip", see <see cref="QualityRecipe"/>) always tells the two apart.
/// </summary>
public enum FaceRecipe
{
    /// <summary>The first grid's: no augmentation; test fold k's threshold is chosen on the other nine folds' pairs, whose people are the training set.</summary>
    NineFoldThreshold,

    /// <summary>
    /// Random horizontal flip in training; each test image embedded as the sum of its own and its mirror image's
    /// features (InsightFace's LFW test); test fold k's threshold chosen on validation fold k mod 10 + 1, whose people are
    /// kept out of training as the test fold's are.
    /// </summary>
    ValidationFoldFlip,
}
