using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Statistics;

public class ClassCentresTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Update_FirstTime_SetsCentreToMeanOfFeatures()
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(3, 2, 0.1, CentreUpdateRule.CentreLoss);

        long[] updated = centres.Update(Features([1, 0], [0.6, 0.8], [0, 1]), tensor(new long[] { 0, 2, 0 }));

        Assert.Equal([0L, 2L], updated);
        AssertRow(centres, 0, 0.5, 0.5);
        AssertRow(centres, 1, 0.0, 0.0);
        AssertRow(centres, 2, 0.6, 0.8);
        Assert.True(centres.IsInitialised(0));
        Assert.False(centres.IsInitialised(1));
        Assert.True(centres.IsInitialised(2));
    }

    [Fact]
    public void Update_SecondTimeCentreLoss_OneMinusGammaOldPlusGammaMean()
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(3, 2, 0.1, CentreUpdateRule.CentreLoss);
        centres.Update(Features([1, 0], [0, 1], [0.6, 0.8]), tensor(new long[] { 0, 0, 2 }));

        centres.Update(Features([0.6, 0.8], [0.8, 0.6]), tensor(new long[] { 0, 1 }));

        // 0.9 * (0.5, 0.5) + 0.1 * (0.6, 0.8)
        AssertRow(centres, 0, 0.51, 0.53);
        // class 1's first update in the same call: the mean itself, not blended with zero
        AssertRow(centres, 1, 0.8, 0.6);
        // class 2 absent: unchanged
        AssertRow(centres, 2, 0.6, 0.8);
        Assert.Equal(0.1, centres.NewMeanWeight, Tolerance);
    }

    [Fact]
    public void Update_SecondTimePaperEquation4_GammaOldPlusOneMinusGammaMean()
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(3, 2, 0.1, CentreUpdateRule.PaperEquation4);
        centres.Update(Features([1, 0], [0, 1], [0.6, 0.8]), tensor(new long[] { 0, 0, 2 }));

        centres.Update(Features([0.6, 0.8], [0.8, 0.6]), tensor(new long[] { 0, 1 }));

        // 0.1 * (0.5, 0.5) + 0.9 * (0.6, 0.8)
        AssertRow(centres, 0, 0.59, 0.77);
        AssertRow(centres, 1, 0.8, 0.6);
        AssertRow(centres, 2, 0.6, 0.8);
        Assert.Equal(0.9, centres.NewMeanWeight, Tolerance);
    }

    [Fact]
    public void Update_SecondTimeSeveralFeatures_BlendsWithTheirMean()
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(1, 2, 0.1, CentreUpdateRule.CentreLoss);
        centres.Update(Features([1, 0]), tensor(new long[] { 0 }));

        centres.Update(Features([0, 1], [0.6, 0.8], [-0.6, 0.8]), tensor(new long[] { 0, 0, 0 }));

        // mean (0, 2.6 / 3); 0.9 * (1, 0) + 0.1 * (0, 0.8666...)
        AssertRow(centres, 0, 0.9, 0.26 / 3);
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(-1L)]
    public void Update_UnknownClassId_ThrowsAndLeavesCentresUnchanged(long badClass)
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(3, 2, 0.1, CentreUpdateRule.CentreLoss);
        centres.Update(Features([0.6, 0.8]), tensor(new long[] { 0 }));

        Assert.Throws<ArgumentOutOfRangeException>(() => centres.Update(Features([1, 0], [0, 1]), tensor(new long[] { 0, badClass })));

        AssertRow(centres, 0, 0.6, 0.8);
        AssertRow(centres, 1, 0.0, 0.0);
        Assert.False(centres.IsInitialised(1));
    }

    [Fact]
    public void Update_WrongDimension_ThrowsAndLeavesCentresUnchanged()
    {
        using var scope = NewDisposeScope();
        using var centres = new ClassCentres(2, 2, 0.1, CentreUpdateRule.CentreLoss);
        centres.Update(Features([0.6, 0.8]), tensor(new long[] { 0 }));

        Assert.Throws<ArgumentException>(() => centres.Update(Features([1, 0, 0]), tensor(new long[] { 0 })));

        AssertRow(centres, 0, 0.6, 0.8);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_LearningRateOutsideZeroOne_Throws(double gamma)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassCentres(2, 2, gamma, CentreUpdateRule.CentreLoss));
    }

    private static Tensor Features(params double[][] rows)
    {
        var flat = rows.SelectMany(r => r).ToArray();
        return tensor(flat, ScalarType.Float64).reshape(rows.Length, rows[0].Length);
    }

    private static void AssertRow(ClassCentres centres, long row, double x, double y)
    {
        using var scope = NewDisposeScope();
        double[] values = centres.Values[row].contiguous().data<double>().ToArray();
        Assert.Equal(2, values.Length);
        Assert.Equal(x, values[0], Tolerance);
        Assert.Equal(y, values[1], Tolerance);
    }
}
