namespace Leap.Security;

/// <summary>
/// Optional TLS (section <see cref="SectionName"/>, e.g. <c>LEAP_Tls__CertificateFile</c>). A host with
/// <see cref="CertificateFile"/> and <see cref="KeyFile"/> serves HTTPS (HTTP/2 over TLS) instead of cleartext; a
/// client with <see cref="CaFile"/> trusts server certificates issued by that CA (besides the system's roots).
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "Tls";

    /// <summary>PEM certificate (chain) of this host, e.g. <c>tls.crt</c> of a mounted kubernetes.io/tls Secret.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (<c>tls.key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA certificate(s) a client trusts for https:// addresses (<c>ca.crt</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>True when this host serves TLS.</summary>
    public bool ServesTls => !string.IsNullOrEmpty(CertificateFile);
}
