using Leap.Core.Statistics;

namespace Leap.Core.Tests.Statistics;

public class AngleMemoryTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Capacity_SamplesTimesMultiplier_IsKiTimesP()
    {
        var memory = new AngleMemory([2, 3, 1], memoryMultiplier: 4);

        Assert.Equal(3, memory.ClassCount);
        Assert.Equal(8, memory.Capacity(0));
        Assert.Equal(12, memory.Capacity(1));
        Assert.Equal(4, memory.Capacity(2));
        Assert.Equal(0, memory.Count(0));
        Assert.Equal(0, memory.Count(1));
        Assert.Equal(0, memory.Count(2));
    }

    [Fact]
    public void Constructor_ClassWithoutSamples_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AngleMemory([2, 0], 1));
    }

    [Fact]
    public void Constructor_MultiplierZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AngleMemory([2, 3], 0));
    }

    [Fact]
    public void Push_MoreThanCapacity_KeepsNewestOldestFirst()
    {
        // K_1 = 2, P = 2 -> capacity 4.
        var memory = new AngleMemory([1, 2], memoryMultiplier: 2);

        memory.Push([1, 1, 1], [0.1, 0.2, 0.3]);
        memory.Push([1, 1, 1], [0.4, 0.5, 0.6]);

        Assert.Equal(4, memory.Count(1));
        Assert.Equal([0.3, 0.4, 0.5, 0.6], memory.Angles(1));
        // mean 0.45; deviations +-0.15, +-0.05 -> (2 * 0.0225 + 2 * 0.0025) / 4 = 0.0125
        Assert.Equal(0.45, memory.Mean(1), Tolerance);
        Assert.Equal(0.0125, memory.Variance(1), Tolerance);
        Assert.Equal(0, memory.Count(0));
        Assert.Empty(memory.Angles(0));
    }

    [Fact]
    public void Push_WrapsSeveralTimesInOneCall_KeepsNewestOldestFirst()
    {
        // capacity 3; seven angles in one call, interleaved with another class
        var memory = new AngleMemory([3, 1], memoryMultiplier: 1);

        memory.Push([0, 1, 0, 0, 1, 0, 0, 0, 0], [0.1, 1.0, 0.2, 0.3, 1.1, 0.4, 0.5, 0.6, 0.7]);

        Assert.Equal([0.5, 0.6, 0.7], memory.Angles(0));
        Assert.Equal([1.1], memory.Angles(1));
        Assert.Equal(0.6, memory.Mean(0), Tolerance);
        // deviations -0.1, 0, 0.1 -> 0.02 / 3
        Assert.Equal(0.02 / 3, memory.Variance(0), Tolerance);
        Assert.Equal(1.1, memory.Mean(1), Tolerance);
        Assert.Equal(0.0, memory.Variance(1));
    }

    [Fact]
    public void MeanVariance_PartiallyFilled_PopulationStatisticsOfStoredAngles()
    {
        var memory = new AngleMemory([5], memoryMultiplier: 2);

        memory.Push([0, 0, 0, 0], [0.5, 1.0, 1.5, 2.0]);

        Assert.True(memory.HasStatistics(0));
        Assert.Equal([0.5, 1.0, 1.5, 2.0], memory.Angles(0));
        Assert.Equal(1.25, memory.Mean(0), Tolerance);
        // Eq. 5 divides by n (population): (0.5625 + 0.0625 + 0.0625 + 0.5625) / 4 = 0.3125 (sample variance would be 0.41667)
        Assert.Equal(0.3125, memory.Variance(0), Tolerance);
    }

    [Fact]
    public void MeanVariance_EmptyClass_NoStatisticsAndNaN()
    {
        var memory = new AngleMemory([2, 2], memoryMultiplier: 1);
        memory.Push([0], [0.7]);

        Assert.False(memory.HasStatistics(1));
        Assert.True(double.IsNaN(memory.Mean(1)));
        Assert.True(double.IsNaN(memory.Variance(1)));
        Assert.True(memory.HasStatistics(0));
        Assert.Equal(0.7, memory.Mean(0));
        Assert.Equal(0.0, memory.Variance(0));
    }

    [Fact]
    public void Push_BoundaryAngles_Accepted()
    {
        var memory = new AngleMemory([2], memoryMultiplier: 1);

        memory.Push([0, 0], [0.0, Math.PI]);

        Assert.Equal([0.0, Math.PI], memory.Angles(0));
        Assert.Equal(Math.PI / 2, memory.Mean(0), Tolerance);
        Assert.Equal(Math.PI * Math.PI / 4, memory.Variance(0), Tolerance);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Push_UnknownClassId_ThrowsAndLeavesStateUnchanged(int badClass)
    {
        var memory = new AngleMemory([2, 3], memoryMultiplier: 1);
        memory.Push([0, 1], [0.2, 0.4]);

        // the valid entries before the bad one must not be stored either
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Push([0, 1, badClass], [0.6, 0.8, 1.0]));

        AssertState(memory, [0.2], [0.4]);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(Math.PI + 0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Push_AngleOutsideZeroPi_ThrowsAndLeavesStateUnchanged(double badAngle)
    {
        var memory = new AngleMemory([2, 3], memoryMultiplier: 1);
        memory.Push([0, 1], [0.2, 0.4]);

        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Push([0, 1, 1], [0.6, 0.8, badAngle]));

        AssertState(memory, [0.2], [0.4]);
    }

    [Fact]
    public void Push_LengthMismatch_ThrowsArgumentException()
    {
        var memory = new AngleMemory([2], memoryMultiplier: 1);

        Assert.Throws<ArgumentException>(() => memory.Push([0, 0], [0.1]));
        Assert.Equal(0, memory.Count(0));
    }

    [Fact]
    public void Restore_AnglesOfWrappedRing_RoundTripsAndContinuesIdentically()
    {
        var source = new AngleMemory([2, 1], memoryMultiplier: 2);
        source.Push([0, 0, 0, 0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9]);
        var restored = new AngleMemory([2, 1], memoryMultiplier: 2);

        restored.Restore(0, source.Angles(0));
        restored.Restore(1, source.Angles(1));

        Assert.Equal(source.Angles(0), restored.Angles(0));
        Assert.Equal(source.Angles(1), restored.Angles(1));
        Assert.Equal(source.Mean(0), restored.Mean(0), Tolerance);
        Assert.Equal(source.Variance(0), restored.Variance(0), Tolerance);
        Assert.Equal(source.Mean(1), restored.Mean(1), Tolerance);
        Assert.Equal(source.Variance(1), restored.Variance(1), Tolerance);

        // the write position must also continue where it should: the oldest is overwritten next
        source.Push([0, 1], [1.0, 1.2]);
        restored.Push([0, 1], [1.0, 1.2]);
        Assert.Equal([0.4, 0.5, 0.6, 1.0], restored.Angles(0));
        Assert.Equal(source.Angles(0), restored.Angles(0));
        Assert.Equal([0.9, 1.2], restored.Angles(1));
        Assert.Equal(source.Angles(1), restored.Angles(1));
    }

    [Fact]
    public void Restore_MoreThanCapacity_KeepsNewest()
    {
        var memory = new AngleMemory([3], memoryMultiplier: 1);

        memory.Restore(0, [0.1, 0.2, 0.3, 0.4, 0.5]);

        Assert.Equal([0.3, 0.4, 0.5], memory.Angles(0));
        Assert.Equal(0.4, memory.Mean(0), Tolerance);
        Assert.Equal(0.02 / 3, memory.Variance(0), Tolerance);
        memory.Push([0], [0.6]);
        Assert.Equal([0.4, 0.5, 0.6], memory.Angles(0));
    }

    [Fact]
    public void Restore_PartialThenPush_AppendsAfterRestored()
    {
        var memory = new AngleMemory([4], memoryMultiplier: 1);
        memory.Push([0, 0, 0, 0, 0], [1.0, 1.0, 1.0, 1.0, 1.0]);

        memory.Restore(0, [0.1, 0.2]);
        memory.Push([0], [0.3]);

        Assert.Equal([0.1, 0.2, 0.3], memory.Angles(0));
        Assert.Equal(0.2, memory.Mean(0), Tolerance);
        Assert.Equal(0.02 / 3, memory.Variance(0), Tolerance);
    }

    [Fact]
    public void Restore_Empty_ClearsStatistics()
    {
        var memory = new AngleMemory([2], memoryMultiplier: 1);
        memory.Push([0], [0.5]);

        memory.Restore(0, []);

        Assert.False(memory.HasStatistics(0));
        Assert.Empty(memory.Angles(0));
        Assert.True(double.IsNaN(memory.Variance(0)));
    }

    private static void AssertState(AngleMemory memory, double[] class0, double[] class1)
    {
        Assert.Equal(class0, memory.Angles(0));
        Assert.Equal(class1, memory.Angles(1));
        Assert.Equal(class0.Average(), memory.Mean(0), Tolerance);
        Assert.Equal(class1.Average(), memory.Mean(1), Tolerance);
        Assert.Equal(0.0, memory.Variance(0));
        Assert.Equal(0.0, memory.Variance(1));
    }
}
