using System.CommandLine;

namespace Leap.Cli.Commands;

/// <summary>
/// A bench command's integer options read against their allowed ranges: a value outside [min, max] adds an error naming
/// the option to <paramref name="errors"/> (so every invalid option is reported at once) and is still returned.
/// </summary>
internal sealed class OptionRangeCheck(ParseResult parse, List<string> errors)
{
    public int Checked(Option<int> option, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(option);
        int value = parse.GetValue(option);
        if (value < min || value > max)
        {
            errors.Add($"{option.Name} = {value} is out of range; allowed [{min}, {max}].");
        }
        return value;
    }
}
