using Leap.Evaluation;
using Leap.Runs;
using Leap.Training.Engine;

namespace Leap.Reporting;

/// <summary>The 2-D t-SNE of a few head and tail classes' training embeddings.</summary>
/// <param name="Points">One (x, y) per embedded sample.</param>
/// <param name="ClassIds">The class of each point.</param>
/// <param name="HeadClasses">Which of the classes shown are head classes.</param>
/// <param name="Purity">10-NN label purity of the 2-D layout (or k = n - 1 for fewer points).</param>
public sealed record TsneLayout(IReadOnlyList<double[]> Points, IReadOnlyList<int> ClassIds, IReadOnlySet<int> HeadClasses, double Purity);

/// <summary>
/// What <c>leap report</c> shows of one run: the angle between each training feature and its class centre (head and
/// tail classes separately), a t-SNE of a few classes, and the metrics log.
/// </summary>
public sealed record RunAnalysis(
    string Label,
    string Directory,
    long Step,
    IReadOnlyList<double> HeadAngles,
    IReadOnlyList<double> TailAngles,
    TsneLayout Tsne,
    MetricsLog Metrics)
{
    public int FeatureCount => HeadAngles.Count + TailAngles.Count;

    /// <param name="classesPerGroup">How many head and how many tail classes the t-SNE shows (the lowest class ids of each).</param>
    /// <param name="pointsPerClass">At most this many samples per class in the t-SNE (evenly spaced through the class).</param>
    public static RunAnalysis Of(TrainedRun run, int classesPerGroup, int pointsPerClass, TsneOptions tsne)
    {
        ArgumentNullException.ThrowIfNull(run);
        var train = run.Data.TrainingImages();
        var embeddings = EmbeddingExtractor.Extract(run.Session.Network, train, run.Session.Device);
        int[] labels = train.Labels.Select(l => (int)l).ToArray();
        var head = run.Data.HeadClasses;
        double[] angles = CentreAngles.PerSample(embeddings, labels);
        var headAngles = new List<double>();
        var tailAngles = new List<double>();
        for (int i = 0; i < labels.Length; i++)
        {
            (head.Contains(labels[i]) ? headAngles : tailAngles).Add(angles[i]);
        }
        string label = $"{run.Method} ({Path.GetFileName(run.Directory)})";
        return new RunAnalysis(label, run.Directory, run.Session.Step, headAngles, tailAngles,
            Layout(embeddings, labels, head, classesPerGroup, pointsPerClass, tsne), MetricsLog.Read(run.Directory));
    }

    private static TsneLayout Layout(Embeddings embeddings, int[] labels, IReadOnlySet<int> head, int classesPerGroup, int pointsPerClass, TsneOptions tsne)
    {
        int[] present = labels.Distinct().Order().ToArray();
        var shown = present.Where(head.Contains).Take(classesPerGroup).Concat(present.Where(c => !head.Contains(c)).Take(classesPerGroup)).ToArray();
        var rows = new List<int>();
        foreach (int c in shown)
        {
            int[] members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            int take = Math.Min(pointsPerClass, members.Length);
            rows.AddRange(Enumerable.Range(0, take).Select(k => members[(int)((long)k * members.Length / take)]));
        }
        var points = rows.Select(embeddings.NormalizedRow).ToArray();
        int[] classIds = rows.Select(r => labels[r]).ToArray();
        double perplexity = Math.Min(tsne.Perplexity, Math.Max(1, (points.Length - 1) / 3.0));
        var layout = Leap.Evaluation.Tsne.Embed(points, tsne with { Perplexity = perplexity });
        int k = Math.Min(10, points.Length - 1);
        return new TsneLayout(layout, classIds, shown.Where(head.Contains).ToHashSet(), NeighbourPurity.Compute(layout, classIds, k));
    }
}
