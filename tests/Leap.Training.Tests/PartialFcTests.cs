using Leap.Training.Configuration;
using Leap.Training.Distributed;
using Leap.Training.Modeling;
using Leap.Training.Optimization;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>Partial FC's sampler, its row-sparse update and its option (the trainer-level equivalence is in PartialFcEquivalenceTests).</summary>
public sealed class PartialFcTests
{
    [Fact]
    public void Rows_SampleRateOne_KeepsEveryRowOfTheShard()
    {
        var shard = ClassShard.For(1000, 1, 3);
        long[] rows = new PartialFcSampler(1, seed: 4).Rows([5, 400, 999], shard, step: 7);
        Assert.Equal(Enumerable.Range(0, shard.Count).Select(r => (long)r), rows);
    }

    [Fact]
    public void Rows_LowRate_ContainAllPositivesSortedAndAboutRateOfTheRest()
    {
        var sampler = new PartialFcSampler(0.1, seed: 9);
        var shard = ClassShard.Whole(20_000);
        var random = new Random(3);
        for (long step = 0; step < 20; step++)
        {
            long[] labels = Enumerable.Range(0, 64).Select(_ => (long)random.Next(20_000)).ToArray();
            long[] rows = sampler.Rows(labels, shard, step);
            Assert.All(labels, l => Assert.True(Array.BinarySearch(rows, l) >= 0, $"positive class {l} missing at step {step}"));
            Assert.True(rows.Zip(rows.Skip(1), (a, b) => a < b).All(x => x), "rows must be sorted and distinct");
            int negatives = rows.Length - labels.Distinct().Count();
            Assert.InRange(negatives, 1700, 2300); // 10% of ~19,940 negatives, binomial sd ~42
        }
    }

    [Fact]
    public void Rows_TwoShards_UnionEqualsSingleShardChoice()
    {
        var sampler = new PartialFcSampler(0.3, seed: 2);
        long[] labels = [3, 17, 17, 250, 499];
        long[] whole = sampler.Rows(labels, ClassShard.Whole(500), step: 11);
        var shards = Enumerable.Range(0, 2).Select(r => ClassShard.For(500, r, 2)).ToArray();
        long[] union = shards.SelectMany(s => sampler.Rows(labels, s, step: 11).Select(row => row + s.Start)).ToArray();
        Assert.Equal(whole, union);
        Assert.NotEqual(whole, sampler.Rows(labels, ClassShard.Whole(500), step: 12));
    }

    [Fact]
    public void Step_SampleRateOne_EqualsFullClassifierWithTorchSgd()
    {
        using var scope = NewDisposeScope();
        const int classes = 40, dimension = 8;
        using var full = new CosineClassifier(classes, dimension, seed: 5);
        using var sampledClassifier = new CosineClassifier(classes, dimension, seed: 5);
        using var sgd = optim.SGD(full.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
        using var partial = new PartialFc(new PartialFcSampler(1, seed: 1), new RowSparseSgd(classes, dimension, 0.9, 5e-4, CPU), ClassShard.Whole(classes));
        var generator = new Generator(8);
        for (long step = 0; step < 4; step++)
        {
            var features = randn([12, dimension], generator: generator);
            var labels = randint(0, classes, [12], ScalarType.Int64, generator: generator);

            sgd.zero_grad();
            nn.functional.cross_entropy(full.forward(features) * 16, labels).backward();
            sgd.step();

            var columns = partial.Select(sampledClassifier.Weight, labels, step);
            Assert.Equal(labels.data<long>().ToArray(), columns.Labels.data<long>().ToArray());
            nn.functional.cross_entropy(CosineClassifier.Cosine(features, columns.Weight) * 16, columns.Labels).backward();
            partial.Update(sampledClassifier.Weight, columns, 0.05);

            Assert.Equal(Values(full.Weight), Values(sampledClassifier.Weight));
        }
    }

    [Fact]
    public void Update_LowRate_LeavesUnsampledRowsAndTheirMomentumUntouched()
    {
        using var scope = NewDisposeScope();
        const int classes = 200, dimension = 8;
        using var classifier = new CosineClassifier(classes, dimension, seed: 3);
        using var partial = new PartialFc(new PartialFcSampler(0.1, seed: 1), new RowSparseSgd(classes, dimension, 0.9, 5e-4, CPU), ClassShard.Whole(classes));
        var generator = new Generator(4);
        for (long step = 0; step < 3; step++)
        {
            var features = randn([6, dimension], generator: generator);
            var labels = randint(0, classes, [6], ScalarType.Int64, generator: generator);
            var weightBefore = classifier.Weight.detach().clone();
            var momentumBefore = partial.Optimizer.Buffer.clone();

            var columns = partial.Select(classifier.Weight, labels, step);
            nn.functional.cross_entropy(CosineClassifier.Cosine(features, columns.Weight) * 16, columns.Labels).backward();
            partial.Update(classifier.Weight, columns, 0.1);

            var sampled = columns.Rows.data<long>().ToHashSet();
            Assert.InRange(sampled.Count, 7, 60);
            var unsampled = tensor(Enumerable.Range(0, classes).Where(r => !sampled.Contains(r)).Select(r => (long)r).ToArray());
            Assert.True(classifier.Weight.detach().index_select(0, unsampled).allclose(weightBefore.index_select(0, unsampled), 0, 0), $"unsampled weights changed at step {step}");
            Assert.True(partial.Optimizer.Buffer.index_select(0, unsampled).allclose(momentumBefore.index_select(0, unsampled), 0, 0), $"unsampled momentum changed at step {step}");
            Assert.False(classifier.Weight.detach().index_select(0, columns.Rows).allclose(weightBefore.index_select(0, columns.Rows), 0, 0), "sampled rows were not updated");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_SampleRateOutOfRange_NamesTheKey(double rate)
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Loss = { SampleRate = rate } });
        Assert.Contains(errors, e => e.StartsWith("Training:Loss:SampleRate", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PartialFcWithAdam_NamesBothKeys()
    {
        var errors = TrainingOptionsValidator.Validate(new TrainingOptions { Loss = { SampleRate = 0.1 }, Optimizer = { Kind = OptimizerKind.Adam } });
        Assert.Contains(errors, e => e.Contains("Training:Loss:SampleRate", StringComparison.Ordinal) && e.Contains("Training:Optimizer:Kind", StringComparison.Ordinal));
        Assert.Empty(TrainingOptionsValidator.Validate(new TrainingOptions { Loss = { SampleRate = 0.1 } }));
    }

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();
}
