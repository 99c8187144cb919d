using Leap.Core.Margins;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Margins;

/// <summary>Behaviour the reference file does not pin down: exact +-1 cosines, float32, label -1, zero alpha, arguments.</summary>
public class MarginTransformTests
{
    private static readonly MarginKind[] Kinds = { MarginKind.CosFace, MarginKind.ArcFace };
    private static readonly string[] AlphaModes = { "none", "column", "sample" };

    public static IEnumerable<object[]> KindDtypeAlpha() =>
        from kind in Kinds
        from dtype in new[] { ScalarType.Float64, ScalarType.Float32 }
        from mode in AlphaModes
        select new object[] { kind, dtype, mode };

    public static IEnumerable<object[]> ReferenceCases() => MarginReference.CaseNames();

    private static IMarginTransform Create(MarginKind kind) =>
        kind == MarginKind.CosFace ? new CosFaceMargin(64.0, 0.35) : new ArcFaceMargin(64.0, 0.5);

    private static Tensor? MakeAlpha(string mode, long rows, long columns, ScalarType dtype)
    {
        if (mode == "none")
        {
            return null;
        }
        // Nonzero on most entries (so the acos path is taken at cos = +-1), zeros on the last row (a head sample);
        // +-0.3 pushes angles at 0 / pi past the clip.
        long width = mode == "column" ? columns : 1;
        var values = new double[rows * width];
        for (long i = 0; i < rows - 1; i++)
        {
            for (long j = 0; j < width; j++)
            {
                values[(i * width) + j] = (i + j) % 2 == 0 ? 0.3 : -0.3;
            }
        }
        return tensor(values, new[] { rows, width }, dtype: ScalarType.Float64).to(dtype);
    }

    [Theory]
    [MemberData(nameof(KindDtypeAlpha))]
    public void Apply_CosineExactlyPlusMinusOne_GivesFiniteLogitsAndGradients(MarginKind kind, ScalarType dtype, string alphaMode)
    {
        using var scope = NewDisposeScope();
        // row 0: target at +1; row 1: target at -1; row 2: label -1 with +-1 elsewhere; row 3: +-1 off target (head).
        var cosine = tensor(
            new[]
            {
                1.0, -1.0, 0.3, -0.2,
                -1.0, 1.0, 0.5, 0.1,
                1.0, -1.0, 1.0, -1.0,
                1.0, -1.0, 0.2, 0.0,
            },
            new long[] { 4, 4 },
            dtype: ScalarType.Float64).to(dtype).requires_grad_(true);
        var labels = tensor(new long[] { 0, 0, -1, 2 });
        var alpha = MakeAlpha(alphaMode, 4, 4, dtype);

        var logits = Create(kind).Apply(cosine, labels, alpha);
        var loss = nn.functional.cross_entropy(logits, tensor(new long[] { 0, 0, 3, 2 }));
        loss.backward();

        Assert.Equal(dtype, logits.dtype);
        MarginReference.AssertFinite(logits, "logits");
        MarginReference.AssertFinite(loss, "loss");
        MarginReference.AssertFinite(cosine.grad!, "d loss / d cos");
    }

    [Theory]
    [MemberData(nameof(KindDtypeAlpha))]
    public void Apply_FeaturesExactlyAlignedOrAntiAligned_GivesFiniteGradientsThroughNormalize(MarginKind kind, ScalarType dtype, string alphaMode)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(17);
        var w = randn(new long[] { 5, 8 }, dtype: ScalarType.Float64, generator: gen);
        // x = W[y], -W[y], 2.5 W[y], W[other], -W[other]: cos is +-1 up to rounding (possibly just outside [-1, 1]).
        var x = stack(new[] { w[1], -w[2], 2.5 * w[3], w[0], -w[4] }).to(dtype).requires_grad_(true);
        var wLeaf = w.to(dtype).requires_grad_(true);
        var labels = tensor(new long[] { 1, 2, 3, 2, -1 });
        var alpha = MakeAlpha(alphaMode, 5, 5, dtype);

        var logits = Create(kind).Apply(MarginReference.Cosine(x, wLeaf), labels, alpha);
        var loss = nn.functional.cross_entropy(logits, tensor(new long[] { 1, 2, 3, 2, 4 }));
        loss.backward();

        MarginReference.AssertFinite(logits, "logits");
        MarginReference.AssertFinite(loss, "loss");
        MarginReference.AssertFinite(x.grad!, "d loss / d x");
        MarginReference.AssertFinite(wLeaf.grad!, "d loss / d W");
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Apply_Float32ReferenceInputs_FiniteAndCloseToFloat64Reference(string name)
    {
        using var scope = NewDisposeScope();
        var c = MarginReference.Case(name);
        var inputs = MarginReference.Inputs(c.GetProperty("inputs").GetString()!);
        var margin = MarginFactory.Create(
            Enum.Parse<MarginKind>(c.GetProperty("kind").GetString()!), c.GetProperty("scale").GetDouble(), c.GetProperty("margin").GetDouble());
        var x = MarginReference.Matrix(inputs.GetProperty("x"), ScalarType.Float32, requiresGrad: true);
        var w = MarginReference.Matrix(inputs.GetProperty("w"), ScalarType.Float32, requiresGrad: true);
        var alpha = MarginReference.Alpha(inputs, c.GetProperty("alpha").GetString()!, ScalarType.Float32);

        var logits = margin.Apply(MarginReference.Cosine(x, w), MarginReference.Labels(inputs.GetProperty("labels")), alpha);
        var loss = nn.functional.cross_entropy(logits, MarginReference.Labels(inputs.GetProperty("ce_target")));
        loss.backward();

        Assert.Equal(ScalarType.Float32, logits.dtype);
        MarginReference.AssertFinite(logits, "logits");
        MarginReference.AssertFinite(loss, "loss");
        MarginReference.AssertFinite(x.grad!, "d loss / d x");
        MarginReference.AssertFinite(w.grad!, "d loss / d W");
        // Away from the edge rows float32 should agree with the float64 reference to float32 accuracy. The edge set
        // puts theta at 1e-3 from 0 / pi, where float32's own rounding of cos (~6e-8) moves theta by ~1e-4 and the
        // SafeAcos clamp (1 - 1e-6) caps theta at ~1.4e-3, so there only finiteness is checked.
        if (c.GetProperty("inputs").GetString() != "edge")
        {
            AssertCloseToMax(c.GetProperty("logits"), logits, 1e-4);
            AssertCloseToMax(c.GetProperty("grad_x"), x.grad!, 1e-3);
            AssertCloseToMax(c.GetProperty("grad_w"), w.grad!, 1e-3);
        }
    }

    /// <summary>max |actual - expected| &lt;= tolerance * max |expected| (a norm-wise check suited to float32).</summary>
    private static void AssertCloseToMax(System.Text.Json.JsonElement expectedRows, Tensor actual, double tolerance)
    {
        var expected = MarginReference.Values(MarginReference.Matrix(expectedRows));
        var values = MarginReference.Values(actual);
        double scale = expected.Max(Math.Abs);
        double error = expected.Zip(values, (e, a) => Math.Abs(a - e)).Max();
        Assert.True(error <= tolerance * scale, $"max error {error:E3} > {tolerance:E0} * {scale:E3}");
    }

    [Theory]
    [InlineData(MarginKind.CosFace)]
    [InlineData(MarginKind.ArcFace)]
    public void Apply_LabelMinusOneRowWithoutAlpha_EqualsScaledCosine(MarginKind kind)
    {
        using var scope = NewDisposeScope();
        var margin = Create(kind);
        var cosine = tensor(new[] { 0.4, -0.1, 0.7, 0.4, -0.1, 0.7 }, new long[] { 2, 3 }, dtype: ScalarType.Float64);
        var logits = margin.Apply(cosine, tensor(new long[] { -1, 2 }));

        var scaled = cosine * margin.Scale;
        // The label -1 row must be exactly s * cos.
        Assert.Equal(MarginReference.Values(scaled[0]), MarginReference.Values(logits[0]));
        // The labelled row with the same cosines does get its margin on column 2 (and only there).
        Assert.Equal(MarginReference.Values(scaled[1, TensorIndex.Slice(0, 2)]), MarginReference.Values(logits[1, TensorIndex.Slice(0, 2)]));
        Assert.True(logits[1, 2].item<double>() < scaled[1, 2].item<double>() - 1.0);
    }

    [Theory]
    [InlineData(MarginKind.CosFace)]
    [InlineData(MarginKind.ArcFace)]
    public void Apply_LabelMinusOneRowWithAlpha_MatchesRowWithoutTargetOnSameAngles(MarginKind kind)
    {
        using var scope = NewDisposeScope();
        var margin = Create(kind);
        var cosine = tensor(new[] { 0.4, -0.1, 0.7 }, new long[] { 1, 3 }, dtype: ScalarType.Float64);
        var alpha = tensor(new[] { 0.2, -0.3, 0.1 }, new long[] { 1, 3 }, dtype: ScalarType.Float64);
        var logits = margin.Apply(cosine, tensor(new long[] { -1 }), alpha);

        var expected = (cosine.acos() + alpha).clamp(0.0, Math.PI).cos() * margin.Scale;
        MarginReference.AssertClose(MarginReference.Values(expected), MarginReference.Values(logits), "label -1 row with alpha");
    }

    [Theory]
    [InlineData(MarginKind.CosFace, "column")]
    [InlineData(MarginKind.CosFace, "sample")]
    [InlineData(MarginKind.ArcFace, "column")]
    [InlineData(MarginKind.ArcFace, "sample")]
    public void Apply_AllZeroAlpha_ExactlyBaselineLogitsAndGradients(MarginKind kind, string alphaMode)
    {
        using var scope = NewDisposeScope();
        var inputs = MarginReference.Inputs("edge");
        var labels = MarginReference.Labels(inputs.GetProperty("labels"));
        var ceTarget = MarginReference.Labels(inputs.GetProperty("ce_target"));
        var margin = Create(kind);

        (Tensor Logits, Tensor GradX) Run(Tensor? alpha)
        {
            var x = MarginReference.Matrix(inputs.GetProperty("x"), requiresGrad: true);
            var w = MarginReference.Matrix(inputs.GetProperty("w"));
            var logits = margin.Apply(MarginReference.Cosine(x, w), labels, alpha);
            nn.functional.cross_entropy(logits, ceTarget).backward();
            return (logits.detach(), x.grad!);
        }

        var baseline = Run(null);
        var zero = Run(alphaMode == "column" ? zeros(6, 5, dtype: ScalarType.Float64) : zeros(6, 1, dtype: ScalarType.Float64));

        // Bit-identical (Assert.Equal on double[] compares exactly).
        Assert.Equal(MarginReference.Values(baseline.Logits), MarginReference.Values(zero.Logits));
        Assert.Equal(MarginReference.Values(baseline.GradX), MarginReference.Values(zero.GradX));
    }

    [Theory]
    [InlineData(MarginKind.CosFace, 0.0, 0.2)]
    [InlineData(MarginKind.CosFace, -1.0, 0.2)]
    [InlineData(MarginKind.CosFace, 64.0, -0.1)]
    [InlineData(MarginKind.ArcFace, 0.0, 0.5)]
    [InlineData(MarginKind.ArcFace, -64.0, 0.5)]
    [InlineData(MarginKind.ArcFace, 64.0, -1e-9)]
    public void Constructor_NonPositiveScaleOrNegativeMargin_Throws(MarginKind kind, double scale, double margin)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarginFactory.Create(kind, scale, margin));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            kind == MarginKind.CosFace ? new CosFaceMargin(scale, margin) : (IMarginTransform)new ArcFaceMargin(scale, margin));
    }

    [Theory]
    [InlineData(MarginKind.CosFace)]
    [InlineData(MarginKind.ArcFace)]
    public void Constructor_ZeroMarginAndTinyScale_Accepted(MarginKind kind)
    {
        var margin = MarginFactory.Create(kind, 1e-6, 0.0);
        Assert.Equal(1e-6, margin.Scale);
        Assert.Equal(0.0, margin.Margin);
    }

    [Fact]
    public void Create_EachKind_ReturnsMatchingTransform()
    {
        Assert.IsType<CosFaceMargin>(MarginFactory.Create(MarginKind.CosFace, 24.0, 0.2));
        Assert.IsType<ArcFaceMargin>(MarginFactory.Create(MarginKind.ArcFace, 16.0, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarginFactory.Create((MarginKind)42, 16.0, 0.2));
    }
}
