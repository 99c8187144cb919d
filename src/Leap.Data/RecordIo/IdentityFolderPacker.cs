using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Data.RecordIo;

/// <summary>What <see cref="IdentityFolderPacker.Pack"/> wrote.</summary>
public sealed record RecordIoPackSummary(string RecPath, string IdxPath, int ImageCount, int ClassCount, long RecBytes);

/// <summary>
/// Packs an identity-per-folder tree into an InsightFace MS1M-style .rec/.idx (the job of <c>leap pack</c>):
/// key 0 is the header record with labels [N+1, N+1+C]; keys 1..N are the images, in listing order, each with its
/// class id as scalar label, its key as id and the file's bytes unchanged (JPEG/PNG/PGM); keys N+1..N+C are one
/// identity record per class with labels [first image key, end image key).
/// </summary>
public static class IdentityFolderPacker
{
    /// <summary>Float32 labels hold every integer up to 2^24 exactly; keys and class ids must stay below.</summary>
    public const int MaxKey = 1 << 24;

    /// <param name="readImage">The bytes stored for an image (default: the file unchanged); e.g. a resized re-encoding.</param>
    /// <param name="imageWritten">Called after each image record with the number written so far (progress).</param>
    public static RecordIoPackSummary Pack(
        IdentityFolderListing listing, string recPath, string? idxPath = null, ILogger? logger = null,
        Func<IdentityImage, byte[]>? readImage = null, Action<int>? imageWritten = null)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentException.ThrowIfNullOrEmpty(recPath);
        idxPath ??= Path.ChangeExtension(recPath, ".idx");
        IReadOnlyList<IdentityImage> images = listing.Images;
        int classCount = listing.ClassNames.Count;
        if ((long)images.Count + classCount + 1 >= MaxKey)
        {
            throw new ArgumentException(
                $"{images.Count} images and {classCount} classes need more keys than float32 labels hold exactly ({MaxKey}).",
                nameof(listing));
        }

        long[] start = new long[classCount];
        long[] end = new long[classCount];
        for (int i = 0; i < images.Count; i++)
        {
            int c = images[i].ClassId;
            if (c < 0 || c >= classCount)
            {
                throw new ArgumentException($"Image '{images[i].Path}' has class {c} outside 0..{classCount - 1}.", nameof(listing));
            }

            if (i > 0 && c < images[i - 1].ClassId)
            {
                throw new ArgumentException("Images must be grouped by ascending class id (as IdentityFolderListing lists them).", nameof(listing));
            }

            long key = i + 1;
            start[c] = end[c] == 0 ? key : start[c];
            end[c] = key + 1;
        }

        int identityStart = images.Count + 1;
        using (var writer = RecordIoWriter.Create(recPath, idxPath))
        {
            writer.Write(0, new ImageRecordHeader([identityStart, identityStart + classCount], 0), []);
            for (int i = 0; i < images.Count; i++)
            {
                byte[] bytes = readImage is null ? File.ReadAllBytes(images[i].Path) : readImage(images[i]);
                writer.Write(i + 1, new ImageRecordHeader(images[i].ClassId, (ulong)(i + 1)), bytes);
                imageWritten?.Invoke(i + 1);
            }

            for (int c = 0; c < classCount; c++)
            {
                writer.Write(identityStart + c, new ImageRecordHeader([start[c], end[c]], (ulong)(identityStart + c)), []);
            }
        }

        var summary = new RecordIoPackSummary(recPath, idxPath, images.Count, classCount, new FileInfo(recPath).Length);
        RecordIoLog.Packed(logger ?? NullLogger.Instance, summary.ImageCount, summary.ClassCount, recPath, summary.RecBytes);
        return summary;
    }
}
