using System.Globalization;
using System.Text;

namespace Leap.Data.RecordIo;

/// <summary>
/// The .idx file beside a .rec: text lines "key\toffset" (MXNet's MXIndexedRecordIO), kept in file order. Only the
/// keys and offsets are held in memory (16 bytes per record), never the .rec bytes.
/// </summary>
public sealed class RecordIoIndex
{
    private readonly long[] _keys;
    private readonly long[] _offsets;
    private readonly Dictionary<long, int> _positionOfKey;

    public RecordIoIndex(IReadOnlyList<long> keys, IReadOnlyList<long> offsets)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(offsets);
        if (keys.Count != offsets.Count)
        {
            throw new ArgumentException($"{keys.Count} keys but {offsets.Count} offsets.", nameof(offsets));
        }

        _keys = keys.ToArray();
        _offsets = offsets.ToArray();
        _positionOfKey = new Dictionary<long, int>(_keys.Length);
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_offsets[i] < 0)
            {
                throw new ArgumentException($"Key {_keys[i]} has negative offset {_offsets[i]}.", nameof(offsets));
            }

            if (!_positionOfKey.TryAdd(_keys[i], i))
            {
                throw new ArgumentException($"Key {_keys[i]} appears twice.", nameof(keys));
            }
        }
    }

    public int Count => _keys.Length;

    /// <summary>The keys in file order.</summary>
    public IReadOnlyList<long> Keys => _keys;

    public bool Contains(long key) => _positionOfKey.ContainsKey(key);

    /// <summary>Byte offset of record <paramref name="key"/> in the .rec file.</summary>
    /// <exception cref="KeyNotFoundException">The index has no such key.</exception>
    public long OffsetOf(long key) =>
        _positionOfKey.TryGetValue(key, out int i)
            ? _offsets[i]
            : throw new KeyNotFoundException($"Record key {key} is not in the index.");

    /// <summary>
    /// Reads an .idx file. A malformed line or a repeated key throws <see cref="InvalidDataException"/> naming the
    /// file, the line number and the byte offset where that line starts. Blank lines are ignored.
    /// </summary>
    public static RecordIoIndex Read(string idxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(idxPath);
        var keys = new List<long>();
        var offsets = new List<long>();
        var seen = new HashSet<long>();
        using var stream = new FileStream(idxPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var line = new List<byte>(64);
        long lineStart = 0;
        long position = 0;
        int lineNumber = 1;
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            for (int i = 0; i < read; i++, position++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.Add(buffer[i]);
                    continue;
                }

                AddLine(idxPath, line, lineNumber, lineStart, keys, offsets, seen);
                line.Clear();
                lineNumber++;
                lineStart = position + 1;
            }
        }

        AddLine(idxPath, line, lineNumber, lineStart, keys, offsets, seen);
        return new RecordIoIndex(keys, offsets);
    }

    /// <summary>Writes the index in MXNet's format ("key\toffset\n" per record, file order).</summary>
    public void Write(string idxPath)
    {
        using var writer = new StreamWriter(idxPath, append: false, new UTF8Encoding(false));
        for (int i = 0; i < _keys.Length; i++)
        {
            writer.Write(FormatLine(_keys[i], _offsets[i]));
        }
    }

    internal static string FormatLine(long key, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}\t{offset}\n");

    private static void AddLine(
        string path, List<byte> line, int lineNumber, long lineStart, List<long> keys, List<long> offsets, HashSet<long> seen)
    {
        string text = Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
        if (text.Trim().Length == 0)
        {
            return;
        }

        string[] fields = text.Split('\t');
        if (fields.Length != 2
            || !long.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long key)
            || !long.TryParse(fields[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long offset)
            || offset < 0)
        {
            throw new InvalidDataException(
                $"RecordIO index '{path}' is invalid at line {lineNumber} (byte offset {lineStart}): " +
                $"'{Truncate(text)}' is not \"key<TAB>offset\" with a non-negative offset.");
        }

        if (!seen.Add(key))
        {
            throw new InvalidDataException(
                $"RecordIO index '{path}' is invalid at line {lineNumber} (byte offset {lineStart}): key {key} appears twice.");
        }

        keys.Add(key);
        offsets.Add(offset);
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
