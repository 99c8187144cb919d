using Leap.Collectives;
using Leap.Evaluation;
using Leap.Training.Data;
using static TorchSharp.torch;

namespace Leap.Training.Engine;

/// <summary>
/// Evaluates a session on held-out images of its classes: closed-set classification (head vs tail mean class
/// accuracy — where a long-tail method must help), verification on seeded generated pairs (10-fold accuracy,
/// TPR@FPR), and the angular spread of head vs tail classes. With a model-parallel classifier, pass the group's
/// collectives: every rank scores its own classes and the global argmax is taken over the gathered per-shard maxima
/// (every rank must then call <see cref="Evaluate"/>).
/// </summary>
public sealed class RunEvaluator(IImageCollection testSet, IReadOnlySet<int> headClasses, int pairs, long seed, ICollectives? collectives = null)
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
            AngularSpread.Compute(embeddings, truth, headClasses));
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
                var best = GlobalArgmax(cosine, session.Shard.Start);
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

    private long[] GlobalArgmax(Tensor cosine, int firstClass)
    {
        var (values, indices) = cosine.max(1);
        if (collectives is null || collectives.WorldSize == 1)
        {
            return (indices + firstClass).cpu().data<long>().ToArray();
        }
        long n = cosine.shape[0];
        var allValues = collectives.AllGatherAsync(values.to(ScalarType.Float64).cpu().contiguous()).GetAwaiter().GetResult().view(collectives.WorldSize, n);
        var allIndices = collectives.AllGatherAsync((indices + firstClass).cpu().contiguous()).GetAwaiter().GetResult().view(collectives.WorldSize, n);
        var winner = allValues.argmax(0, keepdim: true);
        return allIndices.gather(0, winner).squeeze(0).data<long>().ToArray();
    }
}
