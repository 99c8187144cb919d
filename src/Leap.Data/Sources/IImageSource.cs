using Leap.Data.Images;

namespace Leap.Data.Sources;

/// <summary>
/// A labelled image data set as an index, not a tensor: per sample its class id and where its bytes are (a file, a
/// .rec record). Nothing but the index is held in memory; <see cref="Load"/> reads and decodes one sample on demand.
/// Implementations are safe to call from several threads at once (positional reads, no shared cursor).
/// </summary>
public interface IImageSource : IDisposable
{
    /// <summary>What the source is, for logs and errors ("train.rec: 5822653 images of 85742 classes").</summary>
    string Description { get; }

    /// <summary>Number of samples; sample ids are 0..Count-1.</summary>
    int Count { get; }

    /// <summary>Number of classes; every label is in [0, ClassCount).</summary>
    int ClassCount { get; }

    /// <summary>The class id of every sample, read from the index (folder names, record headers), not the images.</summary>
    IReadOnlyList<int> Labels { get; }

    /// <summary>Where sample <paramref name="index"/> lives ("path/to/file.jpg", "train.rec#1234"), for errors.</summary>
    string Locate(int index);

    /// <summary>Reads and decodes sample <paramref name="index"/> into CHW floats in [0, 1].</summary>
    /// <exception cref="InvalidDataException">The bytes are corrupt or disagree with the index; the message names the file.</exception>
    ImageBuffer Load(int index);
}
