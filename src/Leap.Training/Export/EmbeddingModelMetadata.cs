using System.Globalization;

namespace Leap.Training.Export;

/// <summary>
/// What an exported embedding model records in its metadata_props so that it can be used without the run: the input
/// it expects (channels, size, the per-channel mean and std that pixels in [0, 1] are normalised with, x = (p - mean) / std),
/// the backbone, the embedding dimension and a summary of how it was trained.
/// </summary>
/// <param name="Height">Rows of the input; 0 = any (images are not resized).</param>
/// <param name="Width">Columns, like <paramref name="Height"/>.</param>
/// <param name="Training">E.g. "CosFace s=24 m=0.2 + LEAP Full".</param>
/// <param name="Step">The training step of the exported checkpoint, when known.</param>
public sealed record EmbeddingModelMetadata(
    string Backbone, int EmbeddingDimension, int Channels, int Height, int Width,
    IReadOnlyList<float> Mean, IReadOnlyList<float> Std, string Training, bool BatchNormFolded, long? Step)
{
    public const string BackboneKey = "leap.backbone";
    public const string EmbeddingDimensionKey = "leap.embedding_dimension";
    public const string ChannelsKey = "leap.input.channels";
    public const string HeightKey = "leap.input.height";
    public const string WidthKey = "leap.input.width";
    public const string MeanKey = "leap.input.mean";
    public const string StdKey = "leap.input.std";
    public const string LayoutKey = "leap.input.layout";
    public const string TrainingKey = "leap.training";
    public const string BatchNormFoldedKey = "leap.batch_norm_folded";
    public const string StepKey = "leap.checkpoint_step";

    /// <summary>The metadata_props entries.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToProperties()
    {
        yield return new(BackboneKey, Backbone);
        yield return new(EmbeddingDimensionKey, Text(EmbeddingDimension));
        yield return new(ChannelsKey, Text(Channels));
        yield return new(HeightKey, Text(Height));
        yield return new(WidthKey, Text(Width));
        yield return new(MeanKey, string.Join(",", Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        yield return new(StdKey, string.Join(",", Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        yield return new(LayoutKey, $"NCHW float32, {(Channels == 1 ? "grey" : "RGB")} pixels p in [0, 1] resized (bilinear) to {Height}x{Width}, x = (p - mean) / std per channel; output: embeddings [N, {EmbeddingDimension}], not L2-normalised");
        yield return new(TrainingKey, Training);
        yield return new(BatchNormFoldedKey, BatchNormFolded ? "true" : "false");
        if (Step is long step)
        {
            yield return new(StepKey, step.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads the entries <see cref="ToProperties"/> writes.</summary>
    /// <param name="source">The model file, for errors.</param>
    /// <exception cref="InvalidDataException">An entry is missing or malformed; the message names the file and the key.</exception>
    public static EmbeddingModelMetadata FromProperties(IReadOnlyDictionary<string, string> properties, string source)
    {
        ArgumentNullException.ThrowIfNull(properties);
        string Get(string key) => properties.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException($"'{source}' has no metadata '{key}': it was not written by leap export.");
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new InvalidDataException($"'{source}': metadata '{key}' = '{Get(key)}' is not a non-negative integer.");
        float[] Floats(string key)
        {
            try
            {
                return [.. Get(key).Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"'{source}': metadata '{key}' = '{Get(key)}' is not a list of numbers.", e);
            }
        }

        int channels = Int(ChannelsKey);
        float[] mean = Floats(MeanKey), std = Floats(StdKey);
        if (channels is not (1 or 3) || mean.Length != channels || std.Length != channels || std.Any(s => s <= 0))
        {
            throw new InvalidDataException($"'{source}': {channels} input channels with {mean.Length} means and {std.Length} standard deviations (positive).");
        }
        long? step = properties.TryGetValue(StepKey, out string? stepText) && long.TryParse(stepText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : null;
        return new EmbeddingModelMetadata(Get(BackboneKey), Int(EmbeddingDimensionKey), channels, Int(HeightKey), Int(WidthKey), mean, std,
            properties.GetValueOrDefault(TrainingKey, ""), properties.GetValueOrDefault(BatchNormFoldedKey) == "true", step);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
