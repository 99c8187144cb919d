using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Leap.CentreService.Tests.Support;

/// <summary>A self-signed certificate for 127.0.0.1 written as PEM files (certificate = its own CA), like a mounted TLS Secret.</summary>
public sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(string certificateFile, string keyFile)
    {
        CertificateFile = certificateFile;
        KeyFile = keyFile;
    }

    public string CertificateFile { get; }
    public string KeyFile { get; }

    public static SelfSignedCertificate Write(string directory, string name = "tls")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leap-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certificateFile = Path.Combine(directory, name + ".crt");
        string keyFile = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new SelfSignedCertificate(certificateFile, keyFile);
    }
}
