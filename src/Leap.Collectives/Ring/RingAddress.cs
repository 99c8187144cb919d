using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Leap.Collectives.Ring;

/// <summary>A rank's "host:port" ("[::1]:5000" for IPv6 literals).</summary>
internal sealed record RingAddress(string Host, int Port)
{
    public Uri HttpUri => new($"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    public static RingAddress Parse(string text) =>
        TryParse(text, out var address, out var why) ? address : throw new FormatException($"'{text}' is not host:port ({why}).");

    public static bool TryParse(string? text, [NotNullWhen(true)] out RingAddress? address, out string why)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (string.IsNullOrWhiteSpace(text) || colon <= 0 || colon == text.Length - 1)
        {
            why = "expected host:port";
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            why = "port must be 1-65535";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            why = $"'{host}' is not a host name or IP address";
            return false;
        }

        address = new RingAddress(host, port);
        why = "";
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
