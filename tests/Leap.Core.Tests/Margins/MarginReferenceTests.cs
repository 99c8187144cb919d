using Leap.Core.Margins;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Margins;

/// <summary>
/// Checks the margin transforms against tests/Leap.Core.Tests/Reference/margin_reference.json: loss, logits and both
/// gradients (through F.normalize and the matmul, so the backward of acos / clip / where is exercised end to end).
/// Tolerance: elementwise |actual - expected| &lt;= 1e-6 * max(|expected|, 1e-3).
/// </summary>
public class MarginReferenceTests
{
    public static IEnumerable<object[]> Cases() => MarginReference.CaseNames();

    [Fact]
    public void ReferenceFile_Loaded_CoversEveryKindAlphaModeAndEdgeCase()
    {
        var cases = MarginReference.Root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(32, cases.Count);
        foreach (var kind in new[] { "CosFace", "ArcFace" })
        {
            foreach (var mode in new[] { "none", "column", "sample" })
            {
                Assert.Contains(cases, c => c.GetProperty("kind").GetString() == kind && c.GetProperty("alpha").GetString() == mode);
            }
        }
        // alpha draws hit both clips, ArcFace's theta_y + m > pi is present, and a label -1 row is present.
        Assert.All(cases.Where(c => c.GetProperty("alpha").GetString() != "none"), c =>
        {
            Assert.True(c.GetProperty("clipped_low").GetInt32() > 0);
            Assert.True(c.GetProperty("clipped_high").GetInt32() > 0);
        });
        Assert.Contains(cases, c => c.GetProperty("kind").GetString() == "ArcFace" && c.GetProperty("alpha").GetString() == "none"
            && c.GetProperty("clipped_high").GetInt32() > 0);
        Assert.Contains(-1L, MarginReference.Inputs("edge").GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_ReferenceCase_MatchesTorchLossLogitsAndGradients(string name)
    {
        using var scope = NewDisposeScope();
        var c = MarginReference.Case(name);
        var inputs = MarginReference.Inputs(c.GetProperty("inputs").GetString()!);
        var kind = Enum.Parse<MarginKind>(c.GetProperty("kind").GetString()!);
        var margin = MarginFactory.Create(kind, c.GetProperty("scale").GetDouble(), c.GetProperty("margin").GetDouble());

        var x = MarginReference.Matrix(inputs.GetProperty("x"), requiresGrad: true);
        var w = MarginReference.Matrix(inputs.GetProperty("w"), requiresGrad: true);
        var labels = MarginReference.Labels(inputs.GetProperty("labels"));
        var ceTarget = MarginReference.Labels(inputs.GetProperty("ce_target"));
        var alpha = MarginReference.Alpha(inputs, c.GetProperty("alpha").GetString()!);

        var logits = margin.Apply(MarginReference.Cosine(x, w), labels, alpha);
        var loss = nn.functional.cross_entropy(logits, ceTarget, reduction: nn.Reduction.Mean);
        loss.backward();

        Assert.Equal(ScalarType.Float64, logits.dtype);
        Assert.Equal(new long[] { inputs.GetProperty("batch").GetInt64(), inputs.GetProperty("classes").GetInt64() }, logits.shape);
        MarginReference.AssertClose(new[] { c.GetProperty("loss").GetDouble() }, new[] { loss.item<double>() }, $"{name} loss");
        MarginReference.AssertClose(MarginReference.Values(MarginReference.Matrix(c.GetProperty("logits"))), MarginReference.Values(logits), $"{name} logits");
        MarginReference.AssertClose(MarginReference.Values(MarginReference.Matrix(c.GetProperty("grad_x"))), MarginReference.Values(x.grad!), $"{name} d loss / d x");
        MarginReference.AssertClose(MarginReference.Values(MarginReference.Matrix(c.GetProperty("grad_w"))), MarginReference.Values(w.grad!), $"{name} d loss / d W");
    }

    /// <summary>
    /// The probe loss sum(logits * probe) weights every logit by an O(1) draw, so rows the cross-entropy saturates
    /// (the almost-aligned edge rows, where d logit / d cos ~ 1 / sin(theta)) are checked too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_ReferenceCaseProbeLoss_MatchesTorchGradients(string name)
    {
        using var scope = NewDisposeScope();
        var c = MarginReference.Case(name);
        var inputs = MarginReference.Inputs(c.GetProperty("inputs").GetString()!);
        var kind = Enum.Parse<MarginKind>(c.GetProperty("kind").GetString()!);
        var margin = MarginFactory.Create(kind, c.GetProperty("scale").GetDouble(), c.GetProperty("margin").GetDouble());

        var x = MarginReference.Matrix(inputs.GetProperty("x"), requiresGrad: true);
        var w = MarginReference.Matrix(inputs.GetProperty("w"), requiresGrad: true);
        var logits = margin.Apply(
            MarginReference.Cosine(x, w), MarginReference.Labels(inputs.GetProperty("labels")), MarginReference.Alpha(inputs, c.GetProperty("alpha").GetString()!));
        (logits * MarginReference.Matrix(inputs.GetProperty("probe"))).sum().backward();

        MarginReference.AssertClose(MarginReference.Values(MarginReference.Matrix(c.GetProperty("grad_x_probe"))), MarginReference.Values(x.grad!), $"{name} d probe / d x");
        MarginReference.AssertClose(MarginReference.Values(MarginReference.Matrix(c.GetProperty("grad_w_probe"))), MarginReference.Values(w.grad!), $"{name} d probe / d W");
    }
}
