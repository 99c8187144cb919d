namespace Leap.Core.Statistics;

/// <summary>
/// Per class a ring buffer of the most recent angles between the class's features and its centre (Eq. 3), with
/// capacity K_i x P (K_i = the class's training-sample count, P = <c>memoryMultiplier</c>). Gives the angular mean
/// mu_i and the population variance sigma_i^2 (Eq. 5) of what it holds. One flat array, offsets per class.
/// </summary>
public sealed class AngleMemory
{
    private readonly double[] _angles;
    private readonly long[] _offset;
    private readonly int[] _capacity;
    private readonly int[] _count;
    private readonly int[] _next;
    private readonly double[] _mean;
    private readonly double[] _variance;

    public AngleMemory(IReadOnlyList<int> samplesPerClass, int memoryMultiplier)
    {
        ArgumentNullException.ThrowIfNull(samplesPerClass);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryMultiplier);
        int classes = samplesPerClass.Count;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes, nameof(samplesPerClass));
        _offset = new long[classes];
        _capacity = new int[classes];
        long total = 0;
        for (int c = 0; c < classes; c++)
        {
            if (samplesPerClass[c] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(samplesPerClass), samplesPerClass[c], $"Class {c} has no training samples (K_i must be >= 1).");
            }
            _offset[c] = total;
            _capacity[c] = checked(samplesPerClass[c] * memoryMultiplier);
            total += _capacity[c];
        }
        _angles = new double[total];
        _count = new int[classes];
        _next = new int[classes];
        _mean = new double[classes];
        _variance = new double[classes];
        SamplesPerClass = samplesPerClass.ToArray();
        MemoryMultiplier = memoryMultiplier;
    }

    public int ClassCount => _capacity.Length;
    public int MemoryMultiplier { get; }
    public IReadOnlyList<int> SamplesPerClass { get; }

    public int Capacity(int classId) => _capacity[classId];
    public int Count(int classId) => _count[classId];

    /// <summary>True once the class holds at least one angle; before that it has no mu_i or sigma_i^2.</summary>
    public bool HasStatistics(int classId) => _count[classId] > 0;

    public double Mean(int classId) => HasStatistics(classId) ? _mean[classId] : double.NaN;
    public double Variance(int classId) => HasStatistics(classId) ? _variance[classId] : double.NaN;

    /// <summary>sigma_i^2 of every class (NaN for a class without statistics) into <paramref name="destination"/>, without allocating.</summary>
    public void CopyVariances(Span<double> destination)
    {
        if (destination.Length != ClassCount)
        {
            throw new ArgumentException($"{destination.Length} slots for {ClassCount} classes.", nameof(destination));
        }

        for (int c = 0; c < destination.Length; c++)
        {
            destination[c] = Variance(c);
        }
    }

    /// <summary>Appends angles (radians) to the classes' rings, overwriting the oldest, then refreshes their statistics.</summary>
    public void Push(ReadOnlySpan<int> classIds, ReadOnlySpan<double> angles)
    {
        if (classIds.Length != angles.Length)
        {
            throw new ArgumentException($"{classIds.Length} class ids but {angles.Length} angles.", nameof(angles));
        }
        for (int i = 0; i < classIds.Length; i++)
        {
            int c = classIds[i];
            if ((uint)c >= (uint)ClassCount)
            {
                throw new ArgumentOutOfRangeException(nameof(classIds), c, $"Unknown class id {c}: ids must lie in [0, {ClassCount}).");
            }
            double a = angles[i];
            if (!double.IsFinite(a) || a < 0 || a > Math.PI)
            {
                throw new ArgumentOutOfRangeException(nameof(angles), a, $"Angle {a} for class {c} is not in [0, pi].");
            }
        }
        var touched = new HashSet<int>();
        for (int i = 0; i < classIds.Length; i++)
        {
            int c = classIds[i];
            _angles[_offset[c] + _next[c]] = angles[i];
            _next[c] = (_next[c] + 1) % _capacity[c];
            _count[c] = Math.Min(_count[c] + 1, _capacity[c]);
            touched.Add(c);
        }
        foreach (int c in touched)
        {
            Recompute(c);
        }
    }

    /// <summary>The stored angles of one class, oldest first.</summary>
    public double[] Angles(int classId)
    {
        int n = _count[classId];
        var result = new double[n];
        int start = n < _capacity[classId] ? 0 : _next[classId];
        for (int i = 0; i < n; i++)
        {
            result[i] = _angles[_offset[classId] + ((start + i) % _capacity[classId])];
        }
        return result;
    }

    /// <summary>Replaces a class's content with <paramref name="oldestFirst"/> (checkpoint resume; keeps at most the capacity's newest).</summary>
    public void Restore(int classId, ReadOnlySpan<double> oldestFirst)
    {
        if ((uint)classId >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(classId), classId, $"Unknown class id {classId}: ids must lie in [0, {ClassCount}).");
        }
        foreach (double a in oldestFirst)
        {
            if (!double.IsFinite(a) || a < 0 || a > Math.PI)
            {
                throw new ArgumentOutOfRangeException(nameof(oldestFirst), a, $"Angle {a} for class {classId} is not in [0, pi].");
            }
        }
        int keep = Math.Min(oldestFirst.Length, _capacity[classId]);
        var tail = oldestFirst[^keep..];
        tail.CopyTo(_angles.AsSpan((int)_offset[classId], keep));
        _count[classId] = keep;
        _next[classId] = keep % _capacity[classId];
        Recompute(classId);
    }

    private void Recompute(int c)
    {
        int n = _count[c];
        if (n == 0)
        {
            _mean[c] = _variance[c] = 0;
            return;
        }
        var span = _angles.AsSpan(checked((int)_offset[c]), n);
        double sum = 0;
        foreach (double a in span)
        {
            sum += a;
        }
        double mean = sum / n;
        double squares = 0;
        foreach (double a in span)
        {
            squares += (a - mean) * (a - mean);
        }
        _mean[c] = mean;
        _variance[c] = squares / n;
    }
}
