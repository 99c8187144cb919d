using System.Globalization;
using System.Text;
using Leap.Benchmarks.Quality;
using Leap.Data;
using Leap.Data.Synthetic;
using Leap.Evaluation;
using Leap.Training.Data;

namespace Leap.Training.Tests.Quality;

/// <summary>
/// The LFW protocol's folds: which people are trained on, which pairs choose the threshold, and the test-time flip.
/// A synthetic View 2 of 10 folds, each of one matched pair (person A_f, two images) and one mismatched pair (A_f
/// against B_f, one image).
/// </summary>
public sealed class LfwQualityProtocolTests : IDisposable
{
    private static readonly QualitySplit Fold1 = new("lfw-fold01-natural", null, 1, 5, Fold: 1);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-lfw-protocol-" + Guid.NewGuid().ToString("N"));

    private static QualityBudget Budget(FaceRecipe recipe) => QualityBudget.V1 with { FaceSize = 32, Threads = 1, Faces = recipe };

    [Theory]
    [InlineData(1, 2)]
    [InlineData(5, 6)]
    [InlineData(10, 1)]
    public void ValidationFoldOf_IsTheNextFoldCyclically(int test, int validation) =>
        Assert.Equal(validation, LfwQualityProtocol.ValidationFoldOf(test, 10));

    [Theory]
    [InlineData(1, 2)]
    [InlineData(10, 1)]
    public void OpenTraining_ValidationFold_KeepsItsPeopleAndTheTestFoldsOutOfTraining(int test, int validation)
    {
        string lfw = WriteLfwLike();
        var split = new QualitySplit($"lfw-fold{test:00}-natural", null, 1, 5, Fold: test);
        using var withValidation = new LfwQualityProtocol(lfw, [test], Budget(FaceRecipe.ValidationFoldFlip));
        using var nineFolds = new LfwQualityProtocol(lfw, [test], Budget(FaceRecipe.NineFoldThreshold));
        using RunData eight = withValidation.OpenTraining(split);
        using RunData nine = nineFolds.OpenTraining(split);

        // 8 or 9 folds of (A with 2 images, B with 1).
        Assert.Equal((8 * 3, 8 * 2), (eight.Train.Count, eight.Train.ClassCount));
        Assert.Equal((9 * 3, 9 * 2), (nine.Train.Count, nine.Train.ClassCount));
        Assert.Equal(FoldsOf(lfw, eight), Enumerable.Range(1, 10).Where(k => k != test && k != validation).ToHashSet());
        Assert.Equal(FoldsOf(lfw, nine), Enumerable.Range(1, 10).Where(k => k != test).ToHashSet());
    }

    [Fact]
    public void Evaluate_ValidationFold_ChoosesTheThresholdOnItsPairsAlone()
    {
        string lfw = WriteLfwLike();
        // Same person: cosine 1. Different: 0.8 on test fold 1, 0 on validation fold 2, 0.9 on folds 3-10. The
        // validation fold alone puts the threshold at 0.5, which calls the test fold's different pair the same person;
        // the nine folds put it at 0.95, which separates the test fold.
        double DifferentCosine(int fold) => fold switch { 1 => 0.8, 2 => 0.0, _ => 0.9 };
        Func<IImageCollection, Embeddings> embed = EmbedByPerson(lfw, DifferentCosine, calls: []);
        using var withValidation = new LfwQualityProtocol(lfw, [1], Budget(FaceRecipe.ValidationFoldFlip));
        using var nineFolds = new LfwQualityProtocol(lfw, [1], Budget(FaceRecipe.NineFoldThreshold));

        IReadOnlyDictionary<string, double> validated = withValidation.Evaluate(Fold1, embed);
        IReadOnlyDictionary<string, double> nine = nineFolds.Evaluate(Fold1, embed);

        Assert.Equal((0.5, 0.5), (validated["threshold"], validated["accuracy"]));
        Assert.Equal(0.95, nine["threshold"], 1e-6);
        Assert.Equal(1.0, nine["accuracy"]);
        Assert.Equal(1.0, validated["auc"]);
        Assert.Equal(1.0, validated["validationAuc"]);
        Assert.False(nine.ContainsKey("validationAuc"));
    }

    [Fact]
    public void Evaluate_Flip_ScoresTheSumOfEachImagesAndItsMirrorImagesFeatures()
    {
        string lfw = WriteLfwLike();
        var calls = new List<IImageCollection>();
        IReadOnlyList<string> names = IdentityFolderListing.Read(lfw).ClassNames;
        // A's features are (1, 0) and B's (0, 1); their mirror images' the other way round. Each alone tells A from B
        // (AUC 1); their sums are all (1, 1), which cannot (AUC 0.5).
        Embeddings Embed(IImageCollection images)
        {
            calls.Add(images);
            bool mirrored = images is MirroredImages;
            return Embeddings.FromRows(images.Labels.Select(label => names[(int)label].EndsWith('A') != mirrored ? new float[] { 1, 0 } : [0, 1]).ToList());
        }

        using var protocol = new LfwQualityProtocol(lfw, [1], Budget(FaceRecipe.ValidationFoldFlip));
        using var unflipped = new LfwQualityProtocol(lfw, [1], Budget(FaceRecipe.NineFoldThreshold));

        IReadOnlyDictionary<string, double> metrics = protocol.Evaluate(Fold1, Embed);

        Assert.Equal(0.5, metrics["auc"]);
        Assert.Equal(1.0, unflipped.Evaluate(Fold1, Embed)["auc"]);
        // Folds 1 and 2 only: 2 x 3 images, then the same 6 mirrored.
        Assert.Equal((6, 6), (calls[0].Count, calls[1].Count));
        Assert.IsType<MirroredImages>(calls[1]);
        Assert.Equal(calls[0].Labels, calls[1].Labels);
        using var scope = TorchSharp.torch.NewDisposeScope();
        Assert.True(calls[1].Slice(0, 1).eq(calls[0].Slice(0, 1).flip(-1)).all().item<bool>());
        Assert.False(calls[1].Slice(0, 1).eq(calls[0].Slice(0, 1)).all().item<bool>());
    }

    [Fact]
    public void Summary_NamesTheRuleOfTheBudget()
    {
        Assert.Contains("validation fold k mod 10 + 1", LfwQualityProtocol.Summary(QualityBudget.V2), StringComparison.Ordinal);
        Assert.Contains("mirror image", LfwQualityProtocol.Summary(QualityBudget.V2), StringComparison.Ordinal);
        Assert.Contains("other nine folds' 5,400 pairs", LfwQualityProtocol.Summary(QualityBudget.V1), StringComparison.Ordinal);
    }

    /// <summary>The folds whose people a training set holds (people are named F{fold}A and F{fold}B).</summary>
    private static HashSet<int> FoldsOf(string lfw, RunData training)
    {
        IdentityFolderListing listing = IdentityFolderListing.Read(lfw);
        return Enumerable.Range(0, training.Train.Count)
            .Select(row => listing.ClassNames[listing.Images[training.Train.SourceIndex(row)].ClassId])
            .Select(name => int.Parse(name[1..^1], CultureInfo.InvariantCulture)).ToHashSet();
    }

    /// <summary>Person A_f's features are (1, 0); B_f's are at the given cosine to them.</summary>
    private static Func<IImageCollection, Embeddings> EmbedByPerson(string lfw, Func<int, double> differentCosine, List<IImageCollection> calls)
    {
        IReadOnlyList<string> names = IdentityFolderListing.Read(lfw).ClassNames;
        return images =>
        {
            calls.Add(images);
            return Embeddings.FromRows(images.Labels.Select(label =>
            {
                string name = names[(int)label];
                int fold = int.Parse(name[1..^1], CultureInfo.InvariantCulture);
                double c = differentCosine(fold);
                return name.EndsWith('A') ? new float[] { 1, 0 } : [(float)c, (float)Math.Sqrt(1 - (c * c))];
            }).ToList());
        };
    }

    private string WriteLfwLike()
    {
        string lfw = Path.Combine(_root, "lfw");
        var pairs = new StringBuilder("10 1\n");
        for (int fold = 1; fold <= 10; fold++)
        {
            string a = string.Create(CultureInfo.InvariantCulture, $"F{fold:00}A");
            string b = string.Create(CultureInfo.InvariantCulture, $"F{fold:00}B");
            Write(lfw, a, 1, (fold * 2) + 0);
            Write(lfw, a, 2, (fold * 2) + 0);
            Write(lfw, b, 1, (fold * 2) + 1);
            pairs.Append(CultureInfo.InvariantCulture, $"{a}\t1\t2\n{a}\t1\t{b}\t1\n");
        }

        File.WriteAllText(Path.Combine(lfw, "pairs.txt"), pairs.ToString());
        return lfw;
    }

    private static void Write(string lfw, string person, int number, int identity)
    {
        string folder = Path.Combine(lfw, person);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{person}_{number:0000}.png")), SyntheticIdentities.Draw(identity, number, 128, 5));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
