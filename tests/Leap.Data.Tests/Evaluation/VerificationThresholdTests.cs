using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class VerificationThresholdTests
{
    [Fact]
    public void Transfer_ThresholdFromOtherPairs_ScoresTestPairsAtThatThreshold()
    {
        // Choosing pairs separate at 0.5 (midpoint of 0.4 and 0.6); on the test pairs 0.55 is accepted, 0.45 rejected.
        (double threshold, double accuracy) = VerificationThreshold.Transfer(
            [0.2, 0.4, 0.6, 0.8], [false, false, true, true],
            [0.45, 0.55, 0.3, 0.9], [true, true, false, true]);

        Assert.Equal(0.5, threshold, 1e-12);
        Assert.Equal(0.75, accuracy, 1e-12);
    }
}
