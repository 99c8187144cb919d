using static TorchSharp.torch;

namespace Leap.Core.Statistics;

internal static class ClassIdValidation
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first class id outside [0, classCount).</summary>
    public static void Check(Tensor labels, int classCount, string parameter)
    {
        if (labels.numel() == 0)
        {
            return;
        }
        // Its own scope: callers run it outside theirs, and a temporary tensor left to the finalizer can be freed while
        // libtorch still reads it (see TemporaryTorchObjectTests).
        using var scope = NewDisposeScope();
        long min = labels.min().to(ScalarType.Int64).item<long>();
        long max = labels.max().to(ScalarType.Int64).item<long>();
        if (min < 0 || max >= classCount)
        {
            long bad = min < 0 ? min : max;
            throw new ArgumentOutOfRangeException(parameter, bad, $"Unknown class id {bad}: ids must lie in [0, {classCount}).");
        }
    }
}
