using Leap.Data;
using Leap.Data.Images;
using Leap.Data.ReId;
using Leap.Data.Sources;
using Leap.Evaluation;
using Leap.Evaluation.ReId;
using Leap.Evaluation.VerificationSets;
using Leap.Training.Configuration;
using Leap.Training.Data;

namespace Leap.Training.EvaluationSets;

/// <summary>The one place <see cref="EvaluationSetOptions"/> become <see cref="IEvaluationSet"/>s, preprocessed as the training images are.</summary>
public static class EvaluationSetFactory
{
    /// <summary>Keeps the drawn Market-1501 queries the same whatever the run's seed: every run of a data set scores the same split.</summary>
    public const long ReIdQuerySeed = 0;

    /// <exception cref="FileNotFoundException">A set's file or folder is missing (the message names it and the key).</exception>
    /// <exception cref="InvalidDataException">A set's file is malformed or names a missing image.</exception>
    public static EvaluationSetList Open(EvaluationOptions evaluation, DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(data);
        var sets = new List<IEvaluationSet>();
        try
        {
            for (int i = 0; i < evaluation.Sets.Length; i++)
            {
                sets.Add(Open(evaluation.Sets[i], i, data));
            }

            return new EvaluationSetList(sets);
        }
        catch
        {
            sets.ForEach(s => s.Dispose());
            throw;
        }
    }

    private static IEvaluationSet Open(EvaluationSetOptions set, int position, DataOptions data)
    {
        string key = $"Training:Evaluation:Sets:{position}:Path";
        bool exists = set.Kind is EvaluationSetKind.PairList or EvaluationSetKind.Bin ? File.Exists(set.Path) : Directory.Exists(set.Path);
        if (!exists)
        {
            throw new FileNotFoundException($"{key} = '{set.Path}': no such {(set.Kind is EvaluationSetKind.PairList or EvaluationSetKind.Bin ? "file" : "folder")} ({set.Kind} set).", set.Path);
        }

        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = data.Channels == 1 ? ImageChannels.Grey : ImageChannels.Rgb });
        return set.Kind switch
        {
            EvaluationSetKind.PairList => PairList(set, data, decoder),
            EvaluationSetKind.Cfp => Cfp(set, data, decoder),
            EvaluationSetKind.Bin => Bin(set, data, decoder),
            EvaluationSetKind.ReId => ReId(set, data, decoder),
            _ => throw new ArgumentOutOfRangeException(nameof(set), set.Kind, "Unknown evaluation set kind."),
        };
    }

    private static VerificationSet PairList(EvaluationSetOptions set, DataOptions data, ImageDecoder decoder) =>
        Verification(set, VerificationPairFiles.ReadLfwPairs(set.Path, set.Images, decoder), data);

    private static VerificationSet Cfp(EvaluationSetOptions set, DataOptions data, ImageDecoder decoder) =>
        Verification(set, VerificationPairFiles.ReadCfp(set.Path, set.Protocol, decoder), data);

    private static VerificationSet Bin(EvaluationSetOptions set, DataOptions data, ImageDecoder decoder) =>
        Verification(set, VerificationPairFiles.ReadBin(set.Path, decoder), data);

    private static VerificationSet Verification(EvaluationSetOptions set, VerificationPairData pairs, DataOptions data) =>
        Verification(set, DefaultName(set, pairs.Name), pairs.Images, pairs.Pairs, data);

    private static VerificationSet Verification(EvaluationSetOptions set, string name, IImageSource source, PairSet pairs, DataOptions data)
    {
        try
        {
            return new VerificationSet(name, source, Decoder(source, data), pairs);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static ReIdSet ReId(EvaluationSetOptions set, DataOptions data, ImageDecoder decoder)
    {
        var split = Market1501EvaluationSplit.Read(set.Path, ReIdQuerySeed);
        if (split.Query.Count == 0 || split.Gallery.Count == 0)
        {
            throw new InvalidDataException($"'{set.Path}' gives {split.Query.Count} query and {split.Gallery.Count} gallery images; both must be non-empty.");
        }

        (IImageSource, BatchDecoder, ReIdLabel[]) Side(IReadOnlyList<Market1501Image> images)
        {
            var source = new FileImageSource(images.Select(i => i.Path).ToArray(), new int[images.Count], 1, decoder, set.Path);
            return (source, Decoder(source, data), images.Select(i => new ReIdLabel(i.PersonId, i.CameraId)).ToArray());
        }

        return new ReIdSet(DefaultName(set, Path.GetFileName(Path.GetFullPath(set.Path).TrimEnd(Path.DirectorySeparatorChar))), Side(split.Query), Side(split.Gallery));
    }

    private static BatchDecoder Decoder(IImageSource source, DataOptions data) =>
        new(ImageSourceFactory.Preprocessor(source, data), data.DecodeThreads);

    private static string DefaultName(EvaluationSetOptions set, string fallback) =>
        string.IsNullOrWhiteSpace(set.Name) ? fallback.ToLowerInvariant() : set.Name;
}
