namespace Leap.Data.ReId;

/// <summary>
/// The query and gallery images of a Market-1501 style evaluation. Junk images (person -1) are in neither;
/// distractors (person 0) are in the gallery only.
/// </summary>
/// <param name="QueryIsDrawn">
/// True when the queries were drawn from bounding_box_test by <see cref="DrawQueries"/> because the copy has no query
/// folder. Such a split is reproducible for a seed but is not the official one (Market-1501's query images are separate
/// detections, not in bounding_box_test), so its numbers are not comparable to published results.
/// </param>
public sealed record Market1501EvaluationSplit(
    IReadOnlyList<Market1501Image> Query, IReadOnlyList<Market1501Image> Gallery, bool QueryIsDrawn)
{
    public const string QueryFolder = "query";
    public const string TestFolder = "bounding_box_test";

    /// <summary>
    /// The split of the dataset under <paramref name="datasetRoot"/>: query/ as it is when it exists, otherwise queries
    /// drawn from bounding_box_test with <paramref name="seed"/> (see <see cref="DrawQueries"/>). The gallery is
    /// bounding_box_test with its distractors, without the drawn queries.
    /// </summary>
    public static Market1501EvaluationSplit Read(string datasetRoot, long seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetRoot);
        Market1501Listing test = Market1501Listing.Read(Path.Combine(datasetRoot, TestFolder), includeDistractors: true);
        string queryFolder = Path.Combine(datasetRoot, QueryFolder);
        return Directory.Exists(queryFolder)
            ? new Market1501EvaluationSplit(Market1501Listing.Read(queryFolder).Images, test.Images, QueryIsDrawn: false)
            : DrawQueries(test, seed);
    }

    /// <summary>
    /// Picks one query per (person, camera) of the real persons in <paramref name="test"/>, uniformly among that view's
    /// images (in listing order), with a SplitMix64 stream keyed by (seed, person, camera): a seed always picks the same
    /// images, and one view's pick does not depend on the others. Every other image, distractors included, is the
    /// gallery; junk images are dropped.
    /// </summary>
    public static Market1501EvaluationSplit DrawQueries(Market1501Listing test, long seed)
    {
        ArgumentNullException.ThrowIfNull(test);
        var views = test.Images
            .Select((image, index) => (image, index))
            .Where(x => x.image.PersonId > 0)
            .GroupBy(x => (x.image.PersonId, x.image.CameraId))
            .OrderBy(g => g.Key.PersonId)
            .ThenBy(g => g.Key.CameraId);

        var queryIndices = new SortedSet<int>();
        foreach (var view in views)
        {
            int[] members = view.Select(x => x.index).ToArray();
            long stream = ((long)view.Key.PersonId << 32) | (uint)view.Key.CameraId;
            queryIndices.Add(members[SplitMix64.ForStream(seed, stream).NextInt(members.Length)]);
        }

        Market1501Image[] query = queryIndices.Select(i => test.Images[i]).ToArray();
        Market1501Image[] gallery = test.Images
            .Where((image, index) => !image.Name.IsJunk && !queryIndices.Contains(index))
            .ToArray();
        return new Market1501EvaluationSplit(query, gallery, QueryIsDrawn: true);
    }
}
