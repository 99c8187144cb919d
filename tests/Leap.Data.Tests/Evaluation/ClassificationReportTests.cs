using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class ClassificationReportTests
{
    [Fact]
    public void Compute_HeadAndTail_AveragesPerClassAccuracyWithinEachGroup()
    {
        // Class 0 (head): 3/4 right; class 1 (head): 1/1; class 2 (tail): 0/2; class 3 (tail): 1/1.
        int[] truth = [0, 0, 0, 0, 1, 2, 2, 3];
        int[] predicted = [0, 0, 0, 1, 1, 0, 3, 3];

        ClassificationReport report = ClassificationReport.Compute(predicted, truth, new HashSet<int> { 0, 1 });

        Assert.Equal(5.0 / 8, report.OverallAccuracy);
        Assert.Equal((0.75 + 1.0) / 2, report.HeadMeanClassAccuracy);
        Assert.Equal((0.0 + 1.0) / 2, report.TailMeanClassAccuracy);
        Assert.Equal(0.75, report.ClassAccuracies[0]);
    }

    [Fact]
    public void Compute_NoTailClassPresent_ReportsNaNForTail()
    {
        ClassificationReport report = ClassificationReport.Compute([0, 1], [0, 1], new HashSet<int> { 0, 1 });

        Assert.True(double.IsNaN(report.TailMeanClassAccuracy));
        Assert.Equal(1.0, report.HeadMeanClassAccuracy);
    }

    [Fact]
    public void Compute_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0], [0, 1], new HashSet<int>()));
    }
}
