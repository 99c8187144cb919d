using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Leap.CentreService.Client;

/// <summary>A centre service address as the user gives it (<c>HOST:PORT</c>, or <c>http://HOST:PORT</c>) and as gRPC needs it.</summary>
public sealed record CentreServiceAddress(string Text, Uri Uri)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out CentreServiceAddress? address, out string problem)
    {
        address = null;
        problem = "";
        text = text?.Trim() ?? "";
        bool hasScheme = text.Contains("://", StringComparison.Ordinal);
        string authority = hasScheme ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') : text;
        int colon = authority.LastIndexOf(':');
        if (colon <= 0 || authority.EndsWith(']') || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > IPEndPoint.MaxPort)
        {
            problem = $"expected HOST:PORT with a port between 1 and {IPEndPoint.MaxPort}, got '{text}'.";
            return false;
        }
        if (!Uri.TryCreate(hasScheme ? text : "http://" + text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/")
        {
            problem = $"expected HOST:PORT or http://HOST:PORT, got '{text}'.";
            return false;
        }
        address = new CentreServiceAddress(text, uri);
        return true;
    }

    public override string ToString() => Text;
}
