using TorchSharp;
using Leap.Collectives;
using Leap.Evaluation;
using Leap.Training.Data;
using Leap.Training.EvaluationSets;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>
/// Evaluates a session on held-out images of its classes: closed-set classification (head vs tail mean class
/// accuracy — where a long-tail method must help), verification on seeded generated pairs (10-fold accuracy,
/// TPR@FPR), and the angular spread of head vs tail classes. With a model-parallel classifier, pass the group's
/// collectives: every rank scores its own classes and the global argmax is taken over the gathered per-shard maxima
/// (every rank must then call <see cref="Evaluate"/>). Extra <paramref name="sets"/> (pair lists, .bin files, re-ID
/// query/gallery) are embedded by every rank in equal shares and gathered, so their cost is split across the job.
/// </summary>
public sealed class RunEvaluator(IImageCollection testSet, IReadOnlySet<int> headClasses, int pairs, long seed, ICollectives? collectives = null,
    IReadOnlyList<IEvaluationSet>? sets = null)
{
    private readonly PairSet _pairs = BalancedPairs(testSet.Labels.Select(l => (int)l).ToArray(), pairs, seed);

    /// <summary>
    /// Half positive, half negative pairs; a small evaluation set (few images per class) gets as many positives as it
    /// has and the same number of negatives, never fewer than <paramref name="pairs"/> for lack of negatives alone.
    /// </summary>
    private static PairSet BalancedPairs(int[] labels, int pairs, long seed)
    {
        long available = labels.GroupBy(l => l).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        int positives = (int)Math.Min(pairs / 2, available);
        if (positives < 10)
        {
            throw new InvalidDataException(
                $"The evaluation set has {available} same-class image pairs; 10-fold verification needs at least 10. " +
                "Give it more images per class: Data:HoldOutPerClass and Data:TestSamplesPerClass >= 2 (image formats).");
        }

        return PairGenerator.Generate(labels, positives, positives == pairs / 2 ? pairs - positives : positives, seed);
    }

    public EvaluationSummary Evaluate(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (embeddings, predicted) = Extract(session);
        var truth = testSet.Labels.Select(l => (int)l).ToArray();
        return new EvaluationSummary(
            session.Step,
            testSet.Count,
            ClassificationReport.Compute(predicted, truth, headClasses),
            VerificationEvaluator.Evaluate(embeddings, _pairs),
            AngularSpread.Compute(embeddings, truth, headClasses),
            EvaluateSets(session));
    }

    /// <summary>Every extra set's metrics as "set/metric", in name order.</summary>
    private SortedDictionary<string, double> EvaluateSets(TrainingSession session)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var set in sets ?? [])
        {
            foreach (var (name, value) in set.Evaluate(images => Embed(session, images)))
            {
                metrics[$"{set.Name}/{name}"] = value;
            }
        }

        return metrics;
    }

    /// <summary>Embeddings of every image; with collectives each rank embeds a contiguous share, then all gather.</summary>
    private Embeddings Embed(TrainingSession session, IImageCollection images)
    {
        if (collectives is null || collectives.WorldSize == 1)
        {
            return EmbeddingExtractor.Extract(session.Network, images, session.Device);
        }

        int world = collectives.WorldSize;
        int share = (images.Count + world - 1) / world;
        int start = Math.Min(images.Count, collectives.Rank * share);
        int count = Math.Min(share, images.Count - start);
        int dimension = session.Options.Model.EmbeddingDimension;
        var local = new float[share * (long)dimension];
        if (count > 0)
        {
            var mine = EmbeddingExtractor.Extract(session.Network, new ImageRange(images, start, count), session.Device);
            for (int i = 0; i < count; i++)
            {
                mine.Row(i).CopyTo(local.AsSpan(i * dimension, dimension));
            }
        }

        using var scope = NewDisposeScope();
        using var gathered = collectives.AllGatherAsync(tensor(local, [share, dimension])).GetAwaiter().GetResult();
        var all = gathered.narrow(0, 0, images.Count).contiguous().data<float>().ToArray();
        return new Embeddings(all, dimension);
    }

    /// <summary>A contiguous range of another collection.</summary>
    private sealed class ImageRange(IImageCollection inner, int start, int count) : IImageCollection
    {
        public int Count => count;
        public IReadOnlyList<long> Labels => inner.Labels.Skip(start).Take(count).ToArray();
        public Tensor Slice(int offset, int length) => inner.Slice(start + offset, length);
    }

    private (Embeddings Embeddings, int[] Predicted) Extract(TrainingSession session)
    {
        const int batch = 512;
        int dimension = session.Options.Model.EmbeddingDimension;
        var data = new float[testSet.Count * (long)dimension];
        var predicted = new int[testSet.Count];
        session.Network.eval();
        session.Classifier.eval();
        using (no_grad())
        {
            for (int start = 0; start < testSet.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batch, testSet.Count - start);
                var images = testSet.Slice(start, count).to(session.Device);
                var features = session.Network.forward(images);
                var cosine = session.Classifier.forward(features);
                features.cpu().contiguous().data<float>().CopyTo(data, start * dimension);
                // A replicated classifier scores every class on every rank: the local argmax is the global one.
                var best = GlobalArgmax(cosine, session.Shard.Start, session.Shard.IsReplicated);
                for (int i = 0; i < count; i++)
                {
                    predicted[start + i] = (int)best[i];
                }
            }
        }
        session.Network.train();
        session.Classifier.train();
        return (new Embeddings(data, dimension), predicted);
    }

    private long[] GlobalArgmax(Tensor cosine, int firstClass, bool everyClass)
    {
        var (values, indices) = cosine.max(1);
        using var first = firstClass.ToScalar();
        using var one = 1.ToScalar();
        if (collectives is null || collectives.WorldSize == 1 || everyClass)
        {
            return indices.add(first, one).cpu().data<long>().ToArray();
        }
        long n = cosine.shape[0];
        var allValues = collectives.AllGatherAsync(values.to(ScalarType.Float64).cpu().contiguous()).GetAwaiter().GetResult().view(collectives.WorldSize, n);
        var allIndices = collectives.AllGatherAsync(indices.add(first, one).cpu().contiguous()).GetAwaiter().GetResult().view(collectives.WorldSize, n);
        var winner = allValues.argmax(0, keepdim: true);
        return allIndices.gather(0, winner).squeeze(0).data<long>().ToArray();
    }
}
