using System.Globalization;
using System.Text;

namespace Leap.Data.RecordIo;

/// <summary>
/// The .idx file beside a .rec: text lines "key\toffset" (MXNet's MXIndexedRecordIO), kept in file order. Only the
/// keys and offsets are held in memory (16 bytes per record), never the .rec bytes. Keys in ascending file order (as
/// `leap pack` and MXNet's packers write them) are looked up by binary search; only an unordered index pays for a
/// hash map (about 24 more bytes per record).
/// </summary>
public sealed class RecordIoIndex
{
    private readonly long[] _keys;
    private readonly long[] _offsets;
    private readonly Dictionary<long, int>? _positionOfKey;

    public RecordIoIndex(IReadOnlyList<long> keys, IReadOnlyList<long> offsets)
        : this(keys?.ToArray()!, offsets?.ToArray()!)
    {
    }

    private RecordIoIndex(long[] keys, long[] offsets)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(offsets);
        if (keys.Length != offsets.Length)
        {
            throw new ArgumentException($"{keys.Length} keys but {offsets.Length} offsets.", nameof(offsets));
        }

        _keys = keys;
        _offsets = offsets;
        bool ascending = true;
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_offsets[i] < 0)
            {
                throw new ArgumentException($"Key {_keys[i]} has negative offset {_offsets[i]}.", nameof(offsets));
            }

            ascending &= i == 0 || _keys[i] > _keys[i - 1];
        }

        if (ascending)
        {
            return;
        }

        _positionOfKey = new Dictionary<long, int>(_keys.Length);
        for (int i = 0; i < _keys.Length; i++)
        {
            if (!_positionOfKey.TryAdd(_keys[i], i))
            {
                throw new ArgumentException($"Key {_keys[i]} appears twice.", nameof(keys));
            }
        }
    }

    public int Count => _keys.Length;

    /// <summary>The keys in file order.</summary>
    public IReadOnlyList<long> Keys => _keys;

    public bool Contains(long key) => PositionOf(key) >= 0;

    /// <summary>Byte offset of record <paramref name="key"/> in the .rec file.</summary>
    /// <exception cref="KeyNotFoundException">The index has no such key.</exception>
    public long OffsetOf(long key)
    {
        int i = PositionOf(key);
        return i >= 0 ? _offsets[i] : throw new KeyNotFoundException($"Record key {key} is not in the index.");
    }

    private int PositionOf(long key)
    {
        if (_positionOfKey is null)
        {
            int i = Array.BinarySearch(_keys, key);
            return i >= 0 ? i : -1;
        }

        return _positionOfKey.TryGetValue(key, out int position) ? position : -1;
    }

    /// <summary>
    /// Reads an .idx file. A malformed line or a repeated key throws <see cref="InvalidDataException"/> naming the
    /// file, the line number and the byte offset where that line starts. Blank lines are ignored. Lines are parsed in
    /// place (no allocation per line); while keys ascend no set of seen keys is kept.
    /// </summary>
    public static RecordIoIndex Read(string idxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(idxPath);
        using var stream = new FileStream(idxPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // An .idx line is at least 4 bytes ("1\t0\n"); typical lines are 10-20: start near the right size.
        var parsed = new IndexColumns(checked((int)Math.Min(Array.MaxLength, (stream.Length / 12) + 16)));
        var line = new byte[256];
        int length = 0;
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
                    if (length == line.Length)
                    {
                        Array.Resize(ref line, line.Length * 2);
                    }

                    line[length++] = buffer[i];
                    continue;
                }

                AddLine(idxPath, line.AsSpan(0, length), lineNumber, lineStart, parsed);
                length = 0;
                lineNumber++;
                lineStart = position + 1;
            }
        }

        AddLine(idxPath, line.AsSpan(0, length), lineNumber, lineStart, parsed);
        return new RecordIoIndex(parsed.Keys(), parsed.Offsets());
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

    private static void AddLine(string path, ReadOnlySpan<byte> line, int lineNumber, long lineStart, IndexColumns parsed)
    {
        ReadOnlySpan<byte> text = line.TrimEnd((byte)'\r');
        if (text.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        int tab = text.IndexOf((byte)'\t');
        if (tab < 0 || text[(tab + 1)..].Contains((byte)'\t')
            || !TryParse(text[..tab], out long key) || !TryParse(text[(tab + 1)..], out long offset) || offset < 0)
        {
            throw new InvalidDataException(
                $"RecordIO index '{path}' is invalid at line {lineNumber} (byte offset {lineStart}): " +
                $"'{Truncate(Encoding.ASCII.GetString(text))}' is not \"key<TAB>offset\" with a non-negative offset.");
        }

        if (!parsed.TryAdd(key, offset))
        {
            throw new InvalidDataException(
                $"RecordIO index '{path}' is invalid at line {lineNumber} (byte offset {lineStart}): key {key} appears twice.");
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> field, out long value)
    {
        field = field.Trim(" "u8);
        return System.Buffers.Text.Utf8Parser.TryParse(field, out value, out int consumed) && consumed == field.Length && consumed > 0;
    }

    /// <summary>Keys and offsets as they are read; a set of seen keys is built only once a key does not ascend.</summary>
    private sealed class IndexColumns(int capacity)
    {
        private long[] _keys = new long[capacity];
        private long[] _offsets = new long[capacity];
        private int _count;
        private HashSet<long>? _seen;

        public bool TryAdd(long key, long offset)
        {
            if (_seen is null && _count > 0 && key <= _keys[_count - 1])
            {
                _seen = new HashSet<long>(_keys.AsSpan(0, _count).ToArray());
            }

            if (_seen is not null && !_seen.Add(key))
            {
                return false;
            }

            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, Math.Max(16, _count * 2));
                Array.Resize(ref _offsets, _keys.Length);
            }

            _keys[_count] = key;
            _offsets[_count++] = offset;
            return true;
        }

        public long[] Keys() => _keys.AsSpan(0, _count).ToArray();

        public long[] Offsets() => _offsets.AsSpan(0, _count).ToArray();
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
