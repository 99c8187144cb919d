using System.Text;

namespace Leap.Evaluation.Pickle;

/// <summary>
/// Reads the plain-data subset of Python's pickle format, protocols 2 to 5, without running anything: GLOBAL,
/// STACK_GLOBAL, REDUCE, BUILD, NEWOBJ and every other opcode that would import or call code are refused, as are
/// dicts, sets, floats and out-of-band buffers. The values come back as
/// <list type="bullet">
/// <item>list: <see cref="List{T}"/> of object? (a memo reference yields the same instance);</item>
/// <item>tuple: object?[];</item>
/// <item>bytes, and Python 2 str (SHORT_BINSTRING, BINSTRING): byte[];</item>
/// <item>Python 3 str (SHORT_BINUNICODE, BINUNICODE, BINUNICODE8): <see cref="string"/>;</item>
/// <item>bool, int (BININT, BININT1, BININT2): <see cref="bool"/>, <see cref="long"/>; None: null.</item>
/// </list>
/// Malformed, truncated or unsupported input throws <see cref="InvalidDataException"/> naming the source, the opcode
/// and its byte offset. Bytes after STOP are ignored, as Python's unpickler does.
/// </summary>
public sealed class PickleReader
{
    private const int MaxGlobalNameLength = 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly PickleInput _input;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<uint, object?> _memo = [];

    private PickleReader(PickleInput input) => _input = input;

    public static object? ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads one pickle from the current position of <paramref name="stream"/>; offsets in errors count from there.</summary>
    public static object? Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        return new PickleReader(new PickleInput(stream, sourceName)).Run();
    }

    private string Source => _input.SourceName;

    private object? Run()
    {
        while (true)
        {
            long at = _input.Offset;
            if (!_input.TryReadByte(out byte code))
            {
                throw new InvalidDataException($"{Source}: truncated at byte offset {at}: the pickle ends before its STOP opcode.");
            }

            var op = new PickleOpcodeAt(code, at);
            switch ((PickleOpcode)code)
            {
                case PickleOpcode.Proto:
                    byte protocol = _input.ReadByte(op);
                    if (protocol is < 2 or > 5)
                    {
                        throw new InvalidDataException($"{Source}: {op} announces protocol {protocol}; only protocols 2 to 5 are read.");
                    }

                    break;
                case PickleOpcode.Frame:
                    ulong frameLength = _input.ReadUInt64(op);
                    CheckFrame(frameLength, op);
                    break;
                case PickleOpcode.Stop:
                    return Finish(op);
                case PickleOpcode.Mark:
                    _marks.Push(_stack.Count);
                    break;
                case PickleOpcode.None:
                    _stack.Add(null);
                    break;
                case PickleOpcode.Newtrue:
                    _stack.Add(true);
                    break;
                case PickleOpcode.Newfalse:
                    _stack.Add(false);
                    break;
                case PickleOpcode.Binint:
                    _stack.Add((long)_input.ReadInt32(op));
                    break;
                case PickleOpcode.Binint1:
                    _stack.Add((long)_input.ReadByte(op));
                    break;
                case PickleOpcode.Binint2:
                    _stack.Add((long)_input.ReadUInt16(op));
                    break;
                case PickleOpcode.ShortBinstring:
                case PickleOpcode.ShortBinbytes:
                    _stack.Add(_input.ReadBytes(_input.ReadByte(op), op));
                    break;
                case PickleOpcode.Binstring:
                    int length = _input.ReadInt32(op);
                    _stack.Add(length >= 0 ? _input.ReadBytes((ulong)length, op) : throw Malformed(op, $"negative length {length}"));
                    break;
                case PickleOpcode.Binbytes:
                    _stack.Add(_input.ReadBytes(_input.ReadUInt32(op), op));
                    break;
                case PickleOpcode.Binbytes8:
                    _stack.Add(_input.ReadBytes(_input.ReadUInt64(op), op));
                    break;
                case PickleOpcode.ShortBinunicode:
                    _stack.Add(Utf8(_input.ReadBytes(_input.ReadByte(op), op), op));
                    break;
                case PickleOpcode.Binunicode:
                    _stack.Add(Utf8(_input.ReadBytes(_input.ReadUInt32(op), op), op));
                    break;
                case PickleOpcode.Binunicode8:
                    _stack.Add(Utf8(_input.ReadBytes(_input.ReadUInt64(op), op), op));
                    break;
                case PickleOpcode.EmptyList:
                    _stack.Add(new List<object?>());
                    break;
                case PickleOpcode.List:
                    _stack.Add(new List<object?>(PopToMark(op)));
                    break;
                case PickleOpcode.Append:
                    object? item = Pop(op);
                    ListOnTop(op).Add(item);
                    break;
                case PickleOpcode.Appends:
                    object?[] items = PopToMark(op);
                    ListOnTop(op).AddRange(items);
                    break;
                case PickleOpcode.EmptyTuple:
                    _stack.Add(Array.Empty<object?>());
                    break;
                case PickleOpcode.Tuple:
                    _stack.Add(PopToMark(op));
                    break;
                case PickleOpcode.Tuple1:
                    _stack.Add(PopTop(1, op));
                    break;
                case PickleOpcode.Tuple2:
                    _stack.Add(PopTop(2, op));
                    break;
                case PickleOpcode.Tuple3:
                    _stack.Add(PopTop(3, op));
                    break;
                case PickleOpcode.Binput:
                    _memo[_input.ReadByte(op)] = Top(op);
                    break;
                case PickleOpcode.LongBinput:
                    _memo[_input.ReadUInt32(op)] = Top(op);
                    break;
                case PickleOpcode.Memoize:
                    _memo[(uint)_memo.Count] = Top(op);
                    break;
                case PickleOpcode.Binget:
                    _stack.Add(Recall(_input.ReadByte(op), op));
                    break;
                case PickleOpcode.LongBinget:
                    _stack.Add(Recall(_input.ReadUInt32(op), op));
                    break;
                case PickleOpcode.Global:
                    string module = Utf8(_input.ReadLine(MaxGlobalNameLength, op), op);
                    string name = Utf8(_input.ReadLine(MaxGlobalNameLength, op), op);
                    throw Import(op, module, name);
                case PickleOpcode.StackGlobal:
                    throw Import(op, _stack.Count >= 2 ? _stack[^2] as string : null, _stack.Count >= 1 ? _stack[^1] as string : null);
                default:
                    throw new InvalidDataException(
                        $"{Source}: unsupported pickle opcode {op}. Only plain data is read (lists, tuples, bytes, " +
                        "str, bools, small ints, None); nothing is imported or called.");
            }
        }
    }

    private object? Finish(PickleOpcodeAt op)
    {
        if (_marks.Count != 0 || _stack.Count != 1)
        {
            throw Malformed(op, $"{_stack.Count} values and {_marks.Count} open marks are left; a pickle ends with exactly one value");
        }

        return _stack[0];
    }

    /// <summary>A frame only groups the opcodes after it for buffered reading; its length is checked, nothing else.</summary>
    private void CheckFrame(ulong frameLength, PickleOpcodeAt op)
    {
        if (_input.Remaining is { } remaining && frameLength > (ulong)remaining)
        {
            throw new InvalidDataException(
                $"{Source}: truncated at byte offset {_input.Offset + remaining}: {op} announces {frameLength} bytes, only {remaining} remain.");
        }
    }

    private object? Pop(PickleOpcodeAt op)
    {
        int floor = _marks.Count == 0 ? 0 : _marks.Peek();
        if (_stack.Count <= floor)
        {
            throw Malformed(op, "no value on the stack");
        }

        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Top(PickleOpcodeAt op)
    {
        int floor = _marks.Count == 0 ? 0 : _marks.Peek();
        if (_stack.Count <= floor)
        {
            throw Malformed(op, "no value on the stack to memoise");
        }

        return _stack[^1];
    }

    private object?[] PopTop(int count, PickleOpcodeAt op)
    {
        int floor = _marks.Count == 0 ? 0 : _marks.Peek();
        if (_stack.Count - floor < count)
        {
            throw Malformed(op, $"needs {count} values above the last mark, finds {_stack.Count - floor}");
        }

        object?[] values = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return values;
    }

    private object?[] PopToMark(PickleOpcodeAt op)
    {
        if (_marks.Count == 0)
        {
            throw Malformed(op, "no MARK before it");
        }

        int mark = _marks.Pop();
        object?[] values = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return values;
    }

    private List<object?> ListOnTop(PickleOpcodeAt op)
    {
        int floor = _marks.Count == 0 ? 0 : _marks.Peek();
        return _stack.Count > floor && _stack[^1] is List<object?> list
            ? list
            : throw Malformed(op, "the value below its items is not a list");
    }

    private object? Recall(uint key, PickleOpcodeAt op) =>
        _memo.TryGetValue(key, out object? value) ? value : throw Malformed(op, $"memo entry {key} was never stored");

    private string Utf8(byte[] bytes, PickleOpcodeAt op)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{Source}: {op} holds text that is not valid UTF-8.", e);
        }
    }

    private InvalidDataException Malformed(PickleOpcodeAt op, string problem) =>
        new($"{Source}: malformed pickle: {op}: {problem}.");

    private InvalidDataException Import(PickleOpcodeAt op, string? module, string? name)
    {
        string target = module is null || name is null ? "a global" : $"{module}.{name}";
        string hint = (module, name) switch
        {
            ({ } m, _) when m.StartsWith("numpy", StringComparison.Ordinal) =>
                " This is a numpy array, which is unsupported: re-save the data as plain lists of bytes and bools.",
            ("_codecs", "encode") or ("__builtin__" or "builtins", "bytes") =>
                " Python 3 writes bytes this way with protocol 2 or lower: re-save with protocol 3 or higher.",
            _ => string.Empty,
        };
        return new InvalidDataException(
            $"{Source}: unsupported pickle opcode {op}: it would import {target} to rebuild an object, and " +
            $"this reader never imports or calls anything.{hint}");
    }
}
