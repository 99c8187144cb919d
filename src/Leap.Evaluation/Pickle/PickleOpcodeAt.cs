using System.Text;

namespace Leap.Evaluation.Pickle;

/// <summary>An opcode and the byte offset where it starts; its text ("BINBYTES (0x42) at byte offset 22") goes into errors.</summary>
internal readonly record struct PickleOpcodeAt(byte Code, long Offset)
{
    public override string ToString() => $"{PythonName(Code)} at byte offset {Offset}";

    /// <summary>The Python spelling (SHORT_BINBYTES) and the byte, or just the byte when it is no opcode at all.</summary>
    public static string PythonName(byte code)
    {
        if (!Enum.IsDefined((PickleOpcode)code))
        {
            return $"0x{code:X2} (not a pickle opcode)";
        }

        string pascal = ((PickleOpcode)code).ToString();
        var name = new StringBuilder(pascal.Length + 4);
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(c));
        }

        return $"{name} (0x{code:X2})";
    }
}
