using Microsoft.Extensions.Options;

namespace Leap.Training.Configuration;

/// <summary>
/// Reports every invalid value at once, each naming its configuration key and the allowed range. An
/// <see cref="IValidateOptions{TOptions}"/> like every other component's validator (coordinator, centre service, ring,
/// auth, TLS); <c>leap</c> calls it when it loads a training configuration (TrainingConfigLoader).
/// </summary>
public sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The errors of <paramref name="o"/>, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(TrainingOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var errors = new List<string>();
        void Range(string key, double value, double min, double max, bool minExclusive = false)
        {
            bool ok = (minExclusive ? value > min : value >= min) && value <= max && !double.IsNaN(value);
            if (!ok)
            {
                string lower = minExclusive ? $"({min}" : $"[{min}";
                errors.Add($"Training:{key} = {value} is out of range; allowed {lower}, {max}].");
            }
        }

        Range("Seed", o.Seed, 0, long.MaxValue);
        Range("BatchSize", o.BatchSize, 2, 65536);
        Range("Steps", o.Steps, 1, 1e9);
        Range("LogEverySteps", o.LogEverySteps, 1, 1e9);
        Range("MaxNonFiniteSteps", o.MaxNonFiniteSteps, 0, 1e6);
        Range("Threads", o.Threads, 0, 1024);
        if (!System.Text.RegularExpressions.Regex.IsMatch(o.Device ?? "", "^(cpu|cuda(:[0-9]+)?)$"))
        {
            errors.Add($"Training:Device = '{o.Device}' is not allowed; use cpu, cuda or cuda:N.");
        }
        if (string.IsNullOrWhiteSpace(o.OutputDirectory))
        {
            errors.Add("Training:OutputDirectory must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(o.Data.Path))
        {
            errors.Add($"Training:Data:Path must not be empty (the {o.Data.Format} data set).");
        }
        Range("Data:ImageHeight", o.Data.ImageHeight, 0, 4096);
        Range("Data:ImageWidth", o.Data.ImageWidth, 0, 4096);
        if ((o.Data.ImageHeight == 0) != (o.Data.ImageWidth == 0))
        {
            errors.Add($"Training:Data:ImageHeight = {o.Data.ImageHeight} and Training:Data:ImageWidth = {o.Data.ImageWidth}: set both (resize) or neither (every image keeps the first image's size).");
        }
        if (o.Data.Channels is not (1 or 3))
        {
            errors.Add($"Training:Data:Channels = {o.Data.Channels} is not allowed; use 1 (grey) or 3 (RGB).");
        }
        Range("Data:DecodeThreads", o.Data.DecodeThreads, 1, 256);
        Range("Data:PrefetchBatches", o.Data.PrefetchBatches, 1, 64);
        Range("Data:HoldOutPerClass", o.Data.HoldOutPerClass, 0, 100_000);
        Range("Data:HeadClasses", o.Data.HeadClasses, 0, 10_000_000);
        Range("Data:TailClasses", o.Data.TailClasses, -1, 10_000_000);
        Range("Data:SamplesPerTailClass", o.Data.SamplesPerTailClass, 1, 1_000_000);
        Range("Data:TestSamplesPerClass", o.Data.TestSamplesPerClass, 0, 1_000_000);
        Range("Model:EmbeddingDimension", o.Model.EmbeddingDimension, 2, 65536);
        if (!o.Model.BatchNorm && o.Model.Backbone != Modeling.BackboneKind.SmallCnn)
        {
            errors.Add($"Training:Model:BatchNorm = false is only available with Training:Model:Backbone = SmallCnn (got {o.Model.Backbone}).");
        }
        if (o.Model.Pretrained == PretrainedWeights.ImageNet && o.Model.Backbone != Modeling.BackboneKind.ResNet18)
        {
            errors.Add($"Training:Model:Pretrained = ImageNet is only available with Training:Model:Backbone = ResNet18 (got {o.Model.Backbone}); allowed: None with any backbone, ImageNet with ResNet18.");
        }
        if (o.Model.Pretrained == PretrainedWeights.None && !string.IsNullOrWhiteSpace(o.Model.PretrainedPath))
        {
            errors.Add($"Training:Model:PretrainedPath = '{o.Model.PretrainedPath}' needs Training:Model:Pretrained = ImageNet (got None).");
        }
        Range("Loss:Scale", o.Loss.Scale, 0, 1000, minExclusive: true);
        Range("Loss:MarginValue", o.Loss.MarginValue, 0, Math.PI / 2);
        Range("Loss:SampleRate", o.Loss.SampleRate, 0, 1, minExclusive: true);
        if (o.Distributed.Classifier == Leap.Training.Distributed.ClassifierPlacement.Replicated && o.Loss.SampleRate < 1)
        {
            errors.Add($"Training:Distributed:Classifier = Replicated needs Training:Loss:SampleRate = 1 (got {o.Loss.SampleRate}: partial FC samples rows of a shard); use Sharded or Auto.");
        }
        if (o.Distributed.Classifier == Leap.Training.Distributed.ClassifierPlacement.Replicated && o.Distributed.OverlapGradients)
        {
            errors.Add("Training:Distributed:Classifier = Replicated cannot be combined with Training:Distributed:OverlapGradients = true (the overlapped backward runs on the sharded step); use Sharded or Auto, or turn the overlap off.");
        }
        if (o.Loss.SampleRate < 1 && o.Optimizer.Kind != OptimizerKind.Sgd)
        {
            errors.Add($"Training:Loss:SampleRate = {o.Loss.SampleRate} (partial FC) needs Training:Optimizer:Kind = Sgd (got {o.Optimizer.Kind}).");
        }
        Range("Leap:HeadThreshold", o.Leap.HeadThreshold, 0, int.MaxValue);
        Range("Leap:CentreLearningRate", o.Leap.CentreLearningRate, 0, 1, minExclusive: true);
        Range("Leap:RefreshInterval", o.Leap.RefreshInterval, 1, 1_000_000);
        if (o.Leap.RefreshLag is not (0 or 1))
        {
            errors.Add($"Training:Leap:RefreshLag = {o.Leap.RefreshLag} is not allowed; allowed: 0 (statistics of the interval just ended) or 1 (one interval late, refresh overlapped with training).");
        }
        Range("Leap:MemoryMultiplier", o.Leap.MemoryMultiplier, 1, 1000);
        Range("Leap:CloudStartEpoch", o.Leap.CloudStartEpoch, 0, 1e9);
        Range("Leap:CloudStartIteration", o.Leap.CloudStartIteration, 0, 1e12);
        Range("Augmentation:PadCrop", o.Augmentation.PadCrop, 0, 64);
        Range("Augmentation:RandomResizedCrop", o.Augmentation.RandomResizedCrop, 0, 1);
        Range("Augmentation:ColourJitter", o.Augmentation.ColourJitter, 0, 1);
        Range("Augmentation:RandomErasing", o.Augmentation.RandomErasing, 0, 1);
        Range("Optimizer:LearningRate", o.Optimizer.LearningRate, 0, 10, minExclusive: true);
        Range("Optimizer:Momentum", o.Optimizer.Momentum, 0, 1);
        Range("Optimizer:WeightDecay", o.Optimizer.WeightDecay, 0, 1);
        Range("Schedule:WarmupSteps", o.Schedule.WarmupSteps, 0, 1e12);
        Range("Schedule:Gamma", o.Schedule.Gamma, 0, 1, minExclusive: true);
        Range("Schedule:MinimumLearningRate", o.Schedule.MinimumLearningRate, 0, o.Optimizer.LearningRate);
        Range("Schedule:HalfCycleSteps", o.Schedule.HalfCycleSteps, 1, 1e12);
        for (int i = 0; i < o.Schedule.Milestones.Length; i++)
        {
            if (o.Schedule.Milestones[i] < 1 || (i > 0 && o.Schedule.Milestones[i] <= o.Schedule.Milestones[i - 1]))
            {
                errors.Add($"Training:Schedule:Milestones:{i} = {o.Schedule.Milestones[i]} must be >= 1 and strictly increasing.");
            }
        }
        Range("Checkpoint:EverySteps", o.Checkpoint.EverySteps, 0, 1e12);
        Range("Checkpoint:Keep", o.Checkpoint.Keep, 1, 1000);
        Range("Evaluation:EverySteps", o.Evaluation.EverySteps, 0, 1e12);
        Range("Evaluation:Pairs", o.Evaluation.Pairs, 10, 10_000_000);
        for (int i = 0; i < o.Evaluation.Sets.Length; i++)
        {
            var set = o.Evaluation.Sets[i];
            if (set is null || string.IsNullOrWhiteSpace(set.Path))
            {
                errors.Add($"Training:Evaluation:Sets:{i}:Path must name the {set?.Kind.ToString() ?? "evaluation"} set's file or folder.");
            }
        }
        var names = o.Evaluation.Sets.Where(s => s is not null && !string.IsNullOrWhiteSpace(s.Name)).GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (string name in names)
        {
            errors.Add($"Training:Evaluation:Sets: the name '{name}' is given twice; names prefix the metrics and must differ.");
        }
        return errors;
    }
}
