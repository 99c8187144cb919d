namespace Leap.Data.Tests.Data;

/// <summary>A fact that runs only where the Debian dataset-fashion-mnist files are installed; skipped elsewhere.</summary>
public sealed class RealFashionMnistFactAttribute : FactAttribute
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    public RealFashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz")))
        {
            Skip = $"Fashion-MNIST not installed under {Directory}.";
        }
    }
}
