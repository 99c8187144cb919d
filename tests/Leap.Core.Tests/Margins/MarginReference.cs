using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Tests.Margins;

/// <summary>
/// The values written by tests/reference/generate_margin_reference.py (an independent float64 PyTorch implementation
/// of the paper's Eq. 1, 2, 7, 8), plus the tensor helpers and the comparison the margin tests share.
/// </summary>
internal static class MarginReference
{
    /// <summary>Elementwise check: |actual - expected| &lt;= RelativeTolerance * max(|expected|, AbsoluteFloor).</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>Below this magnitude the check is absolute: 1e-6 * 1e-3 = 1e-9.</summary>
    public const double AbsoluteFloor = 1e-3;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "margin_reference.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<object[]> CaseNames() =>
        Root.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement Case(string name) =>
        Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static JsonElement Inputs(string name) =>
        Root.GetProperty("inputs").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A JSON matrix (array of rows) as a float64 tensor.</summary>
    public static Tensor Matrix(JsonElement rows, ScalarType dtype = ScalarType.Float64, bool requiresGrad = false)
    {
        var data = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        long columns = data.Length == 0 ? 0 : data[0].Length;
        Assert.All(data, r => Assert.Equal(columns, r.Length));
        var flat = data.SelectMany(r => r).ToArray();
        var t = tensor(flat, new long[] { data.Length, columns }, dtype: ScalarType.Float64).to(dtype);
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    public static Tensor Labels(JsonElement array) =>
        tensor(array.EnumerateArray().Select(e => e.GetInt64()).ToArray(), dtype: ScalarType.Int64);

    public static Tensor? Alpha(JsonElement inputs, string mode, ScalarType dtype = ScalarType.Float64) => mode switch
    {
        "none" => null,
        "column" => Matrix(inputs.GetProperty("alpha_column"), dtype),
        "sample" => Matrix(inputs.GetProperty("alpha_sample"), dtype),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown alpha mode."),
    };

    /// <summary>cos = normalize(x) @ normalize(W)^T, exactly as the reference script computes it.</summary>
    public static Tensor Cosine(Tensor x, Tensor w) =>
        nn.functional.normalize(x, p: 2.0, dim: 1, eps: 1e-12).matmul(nn.functional.normalize(w, p: 2.0, dim: 1, eps: 1e-12).t());

    public static double[] Values(Tensor t) => t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    /// <summary>Asserts every element is within RelativeTolerance * max(|expected|, AbsoluteFloor) of the reference.</summary>
    public static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0.0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double ratio = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), AbsoluteFloor);
            if (!(ratio <= worst))
            {
                worst = ratio;
                worstIndex = i;
            }
        }
        Assert.True(
            worst <= RelativeTolerance,
            worstIndex < 0
                ? what
                : $"{what}: element {worstIndex} expected {expected[worstIndex]:R}, got {actual[worstIndex]:R} " +
                  $"(scaled error {worst:E3} > {RelativeTolerance:E0})");
    }

    public static void AssertFinite(Tensor t, string what)
    {
        var values = Values(t);
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        Assert.True(bad < 0, bad < 0 ? what : $"{what}: element {bad} is {values[bad]}");
    }
}
