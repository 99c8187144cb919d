using System.Text.Json;

namespace Leap.Data.Tests.Evaluation.VerificationSets;

/// <summary>
/// The .bin files and contents written by tests/reference/generate_bin_reference.py: each file's images (from the
/// Python objects that were pickled, base64 in the JSON) and issame flags.
/// </summary>
internal static class VerificationBinReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "verification_bin_reference.json"))));

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Reference", "verification_bin", file);

    public static JsonElement Case(string file) =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("file").GetString() == file);

    public static (byte[][] Images, bool[] IsSame) ContentOf(string file)
    {
        string content = Case(file).GetProperty("content").GetString()!;
        JsonElement element = Document.Value.RootElement.GetProperty("contents").GetProperty(content);
        return (
            element.GetProperty("images_base64").EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToArray(),
            element.GetProperty("issame").EnumerateArray().Select(e => e.GetBoolean()).ToArray());
    }
}
