namespace Leap.Core.Statistics;

/// <summary>
/// A snapshot of the statistics that decide the feature clouds: per class sigma_i^2 (NaN while the class's angle
/// memory is empty), K_i, and the overall sigma^2 of the chosen variant.
/// <list type="bullet">
/// <item>Vanilla (Eq. 6): sigma^2 = mean of sigma_i^2 over head classes (K_i &gt; T) that have statistics; cloud
/// classes are tail classes (K_i &lt;= T) with sigma_i^2 &lt; sigma^2 — head classes never get a cloud.</item>
/// <item>Full (Eq. 9): sigma^2 = sum (K_i - 1) sigma_i^2 / sum (K_i - 1) over classes with statistics; cloud classes
/// are all classes with sigma_i^2 &lt; sigma^2.</item>
/// </list>
/// A class without statistics (never seen) gets no cloud and does not enter sigma^2; if no class qualifies for
/// sigma^2, it is NaN and nobody gets a cloud.
/// </summary>
public sealed class CloudStatistics
{
    private readonly double[] _classVariance;
    private readonly int[] _samplesPerClass;

    /// <summary>A snapshot over copies of <paramref name="samplesPerClass"/> and <paramref name="classVariance"/>.</summary>
    public CloudStatistics(LeapVariant variant, int headThreshold, IReadOnlyList<int> samplesPerClass, IReadOnlyList<double> classVariance)
        : this(variant, headThreshold, Copy(samplesPerClass), Copy(classVariance))
    {
    }

    /// <summary>Takes the arrays as they are, without copying (see <see cref="Adopt"/>).</summary>
    private CloudStatistics(LeapVariant variant, int headThreshold, int[] samplesPerClass, double[] classVariance)
    {
        if (samplesPerClass.Length != classVariance.Length)
        {
            throw new ArgumentException("One K_i and one sigma_i^2 per class are required.", nameof(classVariance));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(headThreshold);
        Variant = variant;
        HeadThreshold = headThreshold;
        _samplesPerClass = samplesPerClass;
        _classVariance = classVariance;
        OverallVariance = variant switch
        {
            LeapVariant.Vanilla => HeadMean(),
            LeapVariant.Full => WeightedMean(),
            _ => double.NaN,
        };
    }

    public static CloudStatistics FromMemory(LeapVariant variant, int headThreshold, AngleMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var variance = new double[memory.ClassCount];
        memory.CopyVariances(variance);
        return new CloudStatistics(variant, headThreshold, Copy(memory.SamplesPerClass), variance);
    }

    /// <summary>
    /// A snapshot over the caller's arrays, not copied: no allocation that grows with the class count, for the
    /// refresh on the training hot path. The caller must not change the arrays while the snapshot is in use.
    /// </summary>
    public static CloudStatistics Adopt(LeapVariant variant, int headThreshold, int[] samplesPerClass, double[] classVariance)
    {
        ArgumentNullException.ThrowIfNull(samplesPerClass);
        ArgumentNullException.ThrowIfNull(classVariance);
        return new CloudStatistics(variant, headThreshold, samplesPerClass, classVariance);
    }

    private static T[] Copy<T>(IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return [.. values];
    }

    public LeapVariant Variant { get; }
    public int HeadThreshold { get; }
    public int ClassCount => _classVariance.Length;

    /// <summary>sigma^2, or NaN when no class qualifies.</summary>
    public double OverallVariance { get; }

    public double ClassVariance(int classId) => _classVariance[classId];
    public int SamplesInClass(int classId) => _samplesPerClass[classId];
    public bool IsHead(int classId) => _samplesPerClass[classId] > HeadThreshold;

    public bool IsCloudClass(int classId)
    {
        double v = _classVariance[classId];
        if (Variant == LeapVariant.None || double.IsNaN(OverallVariance) || double.IsNaN(v))
        {
            return false;
        }
        if (Variant == LeapVariant.Vanilla && IsHead(classId))
        {
            return false;
        }
        return v < OverallVariance;
    }

    /// <summary>Standard deviation of alpha for the class: sqrt(sigma^2 - sigma_i^2) for cloud classes, else 0.</summary>
    public double AlphaStd(int classId) => IsCloudClass(classId) ? Math.Sqrt(OverallVariance - _classVariance[classId]) : 0.0;

    public int CloudClassCount() => Enumerable.Range(0, ClassCount).Count(IsCloudClass);

    /// <summary>Std of alpha per sample ([B], float64, CPU) for a batch of labels.</summary>
    public TorchSharp.torch.Tensor AlphaStd(TorchSharp.torch.Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ClassIdValidation.Check(labels, ClassCount, nameof(labels));
        double[] std = labels.to(TorchSharp.torch.ScalarType.Int64, TorchSharp.torch.CPU).data<long>().ToArray().Select(l => AlphaStd((int)l)).ToArray();
        return TorchSharp.torch.tensor(std, TorchSharp.torch.ScalarType.Float64);
    }

    private double HeadMean()
    {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < _classVariance.Length; c++)
        {
            if (IsHead(c) && !double.IsNaN(_classVariance[c]))
            {
                sum += _classVariance[c];
                n++;
            }
        }
        return n == 0 ? double.NaN : sum / n;
    }

    private double WeightedMean()
    {
        double sum = 0;
        double weights = 0;
        for (int c = 0; c < _classVariance.Length; c++)
        {
            if (!double.IsNaN(_classVariance[c]))
            {
                double w = _samplesPerClass[c] - 1;
                sum += w * _classVariance[c];
                weights += w;
            }
        }
        return weights == 0 ? double.NaN : sum / weights;
    }
}
