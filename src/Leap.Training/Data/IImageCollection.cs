using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>Labelled images read in order, a slice at a time (evaluation sets: held-out images, test files).</summary>
public interface IImageCollection
{
    int Count { get; }

    /// <summary>Class id of every image (the run's class ids).</summary>
    IReadOnlyList<long> Labels { get; }

    /// <summary>Images [count, C, H, W] starting at <paramref name="start"/>, as a CPU tensor in the caller's dispose scope.</summary>
    Tensor Slice(int start, int count);
}
