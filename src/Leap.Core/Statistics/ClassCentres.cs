using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Statistics;

/// <summary>
/// One centre per class on the unit hypersphere's ambient space ([C, D], float64, CPU), moved toward the mean of
/// each refresh's L2-normalised features of that class (Eq. 4). A class's first refresh sets its centre to the
/// feature mean, so no centre is ever blended with an arbitrary initial value.
/// </summary>
public sealed class ClassCentres : IDisposable
{
    private readonly Tensor _centres;
    private readonly bool[] _initialised;

    public ClassCentres(int classCount, int dimension, double learningRate, CentreUpdateRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(learningRate > 0 && learningRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The centre learning rate must be in (0, 1].");
        }
        ClassCount = classCount;
        Dimension = dimension;
        LearningRate = learningRate;
        Rule = rule;
        _centres = zeros(classCount, dimension, ScalarType.Float64);
        _initialised = new bool[classCount];
    }

    public int ClassCount { get; }
    public int Dimension { get; }
    public double LearningRate { get; }
    public CentreUpdateRule Rule { get; }

    /// <summary>The centres [C, D]; rows of classes never seen are zero.</summary>
    public Tensor Values => _centres;

    public bool IsInitialised(int classId) => _initialised[classId];

    /// <summary>Weight of the new batch mean under the configured rule.</summary>
    public double NewMeanWeight => Rule == CentreUpdateRule.CentreLoss ? LearningRate : 1.0 - LearningRate;

    /// <summary>Moves the centre of every class present in <paramref name="labels"/> toward the mean of its normalised features.</summary>
    /// <param name="normalisedFeatures">[N, D] L2-normalised features (any float dtype).</param>
    /// <param name="labels">[N] class ids in [0, C).</param>
    /// <returns>The distinct class ids that were updated, ascending.</returns>
    public long[] Update(Tensor normalisedFeatures, Tensor labels)
    {
        using var scope = NewDisposeScope();
        ClassIdValidation.Check(labels, ClassCount, nameof(labels));
        if (normalisedFeatures.shape[1] != Dimension)
        {
            throw new ArgumentException($"Expected features of dimension {Dimension}, got {normalisedFeatures.shape[1]}.", nameof(normalisedFeatures));
        }
        var features = normalisedFeatures.detach().to(ScalarType.Float64, CPU);
        var ids = labels.to(ScalarType.Int64, CPU);
        // Sums over the classes present only (O(N D), not O(C D)): with 10^5-10^6 classes a [C, D] scratch per refresh
        // would dominate the cost of a refresh that touches a few hundred classes.
        var (present, inverse, counts) = ids.unique(sorted: true, return_inverse: true, return_counts: true);
        // No temporary torch Scalars on this path (the centre service applies partitions on several threads at once):
        // TorchSharp passes a Scalar's handle to native code without keeping the Scalar alive, so a GC finalizer can
        // free it mid-call under load (seen as "Expected false to be true" in Scalar::toDouble). Scalars used here are
        // held by a using until the calls are done.
        using var one = 1.0.ToScalar();
        var sums = zeros(present.shape[0], Dimension, ScalarType.Float64).index_add_(0, inverse!, features, one);
        long[] classes = present.data<long>().ToArray();
        var means = sums / counts!.to(ScalarType.Float64).unsqueeze(1);
        var old = _centres.index_select(0, present);
        var fresh = tensor(classes.Select(c => _initialised[c] ? NewMeanWeight : 1.0).ToArray(), ScalarType.Float64).unsqueeze(1);
        // add(x, one), not +: TorchSharp's Tensor + Tensor passes a temporary Scalar 1 as alpha.
        var blended = (old * (ones_like(fresh) - fresh)).add(means * fresh, one);
        _centres.index_copy_(0, present, blended);
        foreach (long c in classes)
        {
            _initialised[c] = true;
        }
        return classes;
    }

    /// <summary>Restores centres and flags (checkpoint resume).</summary>
    public void Load(Tensor centres, bool[] initialised)
    {
        if (initialised.Length != ClassCount || centres.shape[0] != ClassCount || centres.shape[1] != Dimension)
        {
            throw new ArgumentException("Centre state does not match this tracker's shape.");
        }
        using var scope = NewDisposeScope();
        _centres.copy_(centres.to(ScalarType.Float64, CPU));
        Array.Copy(initialised, _initialised, ClassCount);
    }

    public bool[] InitialisedFlags() => (bool[])_initialised.Clone();

    public void Dispose() => _centres.Dispose();
}
