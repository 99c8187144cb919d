using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Leap.Inference;

/// <summary>
/// Writes a float32 matrix as a NumPy .npy file, format version 1.0: the magic "\x93NUMPY", version 1 0, a little-endian
/// uint16 header length, an ASCII dict <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (N, D), }</c> padded with
/// spaces and ended by a newline so that the data starts at a multiple of 64 bytes, then the values, little-endian, row-major.
/// </summary>
public static class NpyFile
{
    /// <summary>Writes the file (creating its folder).</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{values.Length} values are not {rows} x {columns}.", nameof(values));
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        stream.Write(Header(rows, columns));
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>The magic, version, header length and padded header dict.</summary>
    public static byte[] Header(int rows, int columns)
    {
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        const int Preamble = 10; // magic (6) + version (2) + header length (2)
        int padded = (Preamble + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(padded - Preamble - 1) + "\n";
        var bytes = new byte[padded];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte)(header.Length & 0xFF);
        bytes[9] = (byte)(header.Length >> 8);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(Preamble));
        return bytes;
    }
}
