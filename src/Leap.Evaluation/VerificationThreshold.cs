namespace Leap.Evaluation;

/// <summary>
/// Accuracy on one pair set at the threshold chosen on another (for example: LFW fold k's pairs scored at the
/// threshold that is best on the other nine folds' pairs). Same rule and candidates as <see cref="VerificationEvaluator.KFold"/>.
/// </summary>
public static class VerificationThreshold
{
    /// <returns>The threshold that maximises accuracy on the choosing pairs and the accuracy it gives on the test pairs.</returns>
    public static (double Threshold, double Accuracy) Transfer(
        ReadOnlySpan<double> chooseScores, ReadOnlySpan<bool> chooseIsSame, ReadOnlySpan<double> testScores, ReadOnlySpan<bool> testIsSame)
    {
        ScoredPairs.Validate(chooseScores, chooseIsSame);
        ScoredPairs.Validate(testScores, testIsSame);
        if (testScores.IsEmpty)
        {
            throw new ArgumentException("No test pairs.", nameof(testScores));
        }

        double threshold = ThresholdSearch.BestThreshold(chooseScores, chooseIsSame, Enumerable.Range(0, chooseScores.Length).ToArray());
        double accuracy = ThresholdSearch.Accuracy(testScores, testIsSame, Enumerable.Range(0, testScores.Length).ToArray(), threshold);
        return (threshold, accuracy);
    }
}
