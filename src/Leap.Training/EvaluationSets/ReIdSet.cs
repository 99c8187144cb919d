using Leap.Data.Sources;
using Leap.Evaluation;
using Leap.Evaluation.ReId;
using Leap.Training.Data;

namespace Leap.Training.EvaluationSets;

/// <summary>Re-ID retrieval with the Market-1501 rules (<see cref="ReIdEvaluator"/>): CMC rank-1/5/10 and mAP over the query set.</summary>
public sealed class ReIdSet : IEvaluationSet
{
    private readonly IImageSource _query;
    private readonly IImageSource _gallery;
    private readonly EvaluationImages _queryImages;
    private readonly EvaluationImages _galleryImages;
    private readonly ReIdLabel[] _queryLabels;
    private readonly ReIdLabel[] _galleryLabels;

    public ReIdSet(string name, (IImageSource Source, BatchDecoder Decoder, ReIdLabel[] Labels) query,
        (IImageSource Source, BatchDecoder Decoder, ReIdLabel[] Labels) gallery)
    {
        Name = name;
        (_query, _queryLabels) = (query.Source, query.Labels);
        (_gallery, _galleryLabels) = (gallery.Source, gallery.Labels);
        _queryImages = new EvaluationImages(query.Decoder, Enumerable.Range(0, _query.Count).ToArray(), new long[_query.Count]);
        _galleryImages = new EvaluationImages(gallery.Decoder, Enumerable.Range(0, _gallery.Count).ToArray(), new long[_gallery.Count]);
    }

    public string Name { get; }
    public int QueryCount => _query.Count;
    public int GalleryCount => _gallery.Count;

    public IReadOnlyDictionary<string, double> Evaluate(Func<IImageCollection, Embeddings> embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        ReIdReport report = ReIdEvaluator.Evaluate(embed(_queryImages), _queryLabels, embed(_galleryImages), _galleryLabels);
        return new Dictionary<string, double>
        {
            ["rank1"] = report.RankAt(1),
            ["rank5"] = report.RankAt(5),
            ["rank10"] = report.RankAt(10),
            ["map"] = report.MeanAveragePrecision,
            ["valid_queries"] = report.ValidQueries,
        };
    }

    public void Dispose()
    {
        _query.Dispose();
        _gallery.Dispose();
    }
}
