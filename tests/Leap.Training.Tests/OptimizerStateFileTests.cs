using Leap.Training.Checkpoints;
using Leap.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// Optimizer state files are TorchSharp's: a checkpoint written by TorchSharp's own Adam or SGD (every checkpoint before
/// the Scalar-safe optimizers) resumes into ours, and ours resume into TorchSharp's, with the same continued trajectory.
/// </summary>
public sealed class OptimizerStateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("leap-optimizer-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TorchSharpsAdamFile_ResumesIntoScalarSafeAdam()
    {
        string path = Path.Combine(_directory, "optimizer.bin");
        AssertResumesAlike(
            p => new Adam(p, 0.01, weight_decay: 5e-4), (o, f) => o.save_state_dict(f),
            p => new ScalarSafeAdam(p, 0.01, 5e-4), OptimizerStateFile.Load, path);
    }

    [Fact]
    public void ScalarSafeSgdFile_ResumesIntoTorchSharpsSgd_AndNamesItSgd()
    {
        string path = Path.Combine(_directory, "optimizer.bin");
        AssertResumesAlike(
            p => new ScalarSafeSgd(p, 0.05, 0.9, 5e-4), OptimizerStateFile.Save,
            p => new SGD(p, 0.05, momentum: 0.9, weight_decay: 5e-4), (o, f) => o.load_state_dict(f), path);
        using var reader = new BinaryReader(File.OpenRead(path));
        Assert.Equal("SGD", reader.ReadString());
    }

    [Fact]
    public void TorchSharpsSgdFile_ResumesIntoScalarSafeSgd()
    {
        string path = Path.Combine(_directory, "optimizer.bin");
        AssertResumesAlike(
            p => new SGD(p, 0.05, momentum: 0.9, weight_decay: 5e-4), (o, f) => o.save_state_dict(f),
            p => new ScalarSafeSgd(p, 0.05, 0.9, 5e-4), OptimizerStateFile.Load, path);
    }

    [Fact]
    public void ScalarSafeAdamFile_ResumesIntoTorchSharpsAdam()
    {
        string path = Path.Combine(_directory, "optimizer.bin");
        AssertResumesAlike(
            p => new ScalarSafeAdam(p, 0.01, 5e-4), OptimizerStateFile.Save,
            p => new Adam(p, 0.01, weight_decay: 5e-4), (o, f) => o.load_state_dict(f), path);
    }

    [Fact]
    public void AnotherOptimizersFile_IsRefused_NamingTheKey()
    {
        string path = Path.Combine(_directory, "optimizer.bin");
        using var weight = new Parameter(randn(3, 2, generator: new Generator(1)));
        using var sgd = new ScalarSafeSgd([weight], 0.05, 0.9, 0);
        OptimizerStateFile.Save(sgd, path);
        using var adam = new ScalarSafeAdam([weight], 0.01, 0);
        var error = Assert.Throws<InvalidDataException>(() => OptimizerStateFile.Load(adam, path));
        Assert.Contains("'SGD'", error.Message);
        Assert.Contains("Optimizer:Kind", error.Message);
    }

    /// <summary>
    /// Trains with <paramref name="writer"/>'s optimizer, saves, continues; a second run restores the file into
    /// <paramref name="reader"/>'s optimizer and continues: the weights must end bit-equal (momentum or moments restored).
    /// </summary>
    private static void AssertResumesAlike(
        Func<IEnumerable<Parameter>, OptimizerHelper> writer, Action<OptimizerHelper, string> save,
        Func<IEnumerable<Parameter>, OptimizerHelper> reader, Action<OptimizerHelper, string> load, string path)
    {
        using var start = randn(6, 5, generator: new Generator(7));
        using var target = randn(6, 5, generator: new Generator(8));
        using var weight = new Parameter(start.clone());
        using var first = writer([weight]);
        Train(first, weight, target, 5);
        save(first, path);
        using var resumedWeight = new Parameter(weight.detach().clone());
        Train(first, weight, target, 5);

        using var second = reader([resumedWeight]);
        load(second, path);
        Train(second, resumedWeight, target, 5);
        Assert.Equal(weight.data<float>().ToArray(), resumedWeight.data<float>().ToArray());
    }

    private static void Train(OptimizerHelper optimizer, Parameter weight, Tensor target, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (weight - target).pow(2).sum().backward();
            optimizer.step();
        }
    }
}
