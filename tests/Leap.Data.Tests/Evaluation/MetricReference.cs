using System.Text.Json;

namespace Leap.Data.Tests.Evaluation;

/// <summary>The values written by tests/reference/generate_metric_reference.py (an independent numpy implementation).</summary>
internal static class MetricReference
{
    public const double Tolerance = 1e-9;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "metric_reference.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<object[]> VerificationCaseNames() =>
        Root.GetProperty("verification").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static JsonElement VerificationCase(string name) =>
        Root.GetProperty("verification").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static bool[] Bools(JsonElement array) => array.EnumerateArray().Select(e => e.GetBoolean()).ToArray();

    public static double? NullableDouble(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
