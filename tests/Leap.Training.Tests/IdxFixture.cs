using System.Buffers.Binary;

namespace Leap.Training.Tests;

/// <summary>Writes a small MNIST-layout IDX folder (train + t10k) of separable 28x28 class patterns.</summary>
internal static class IdxFixture
{
    public static void Write(string directory, int[] trainPerClass, int testPerClass, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        Write(directory, "train", trainPerClass, random);
        Write(directory, "t10k", Enumerable.Repeat(testPerClass, trainPerClass.Length).ToArray(), random);
    }

    private static void Write(string directory, string prefix, int[] perClass, Random random)
    {
        var labels = perClass.SelectMany((k, c) => Enumerable.Repeat((byte)c, k)).OrderBy(_ => random.Next()).ToArray();
        var pixels = new byte[labels.Length * 784];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int p = 0; p < 784; p++)
            {
                // A bright horizontal band whose position encodes the class, plus noise.
                int row = p / 28;
                bool band = row / 3 == labels[i] % 9 && (p % 28) >= labels[i] % 2 * 14 && (p % 28) < 14 + (labels[i] % 2 * 14);
                pixels[(i * 784) + p] = (byte)Math.Clamp((band ? 200 : 30) + random.Next(-30, 30), 0, 255);
            }
        }
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), Header(0x803, labels.Length, 28, 28).Concat(pixels).ToArray());
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), Header(0x801, labels.Length).Concat(labels).ToArray());
    }

    private static byte[] Header(int magic, params int[] dims)
    {
        var bytes = new byte[4 * (dims.Length + 1)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (i + 1)), dims[i]);
        }
        return bytes;
    }
}
