using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>Checks <see cref="TlsOptions"/>: certificate and key come together and load; the CA file loads. Names each key.</summary>
public sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    private const string S = TlsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Failures(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool hasCertificate = !string.IsNullOrEmpty(options.CertificateFile);
        bool hasKey = !string.IsNullOrEmpty(options.KeyFile);
        if (hasCertificate != hasKey)
        {
            yield return $"{S}:{nameof(TlsOptions.CertificateFile)} and {S}:{nameof(TlsOptions.KeyFile)} must be set together (PEM certificate and its private key).";
        }
        else if (hasCertificate)
        {
            string? problem = null;
            try
            {
                using var certificate = X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile);
                problem = certificate.HasPrivateKey ? null : "the key does not belong to the certificate";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                problem = e.Message;
            }
            if (problem is not null)
            {
                yield return $"{S}:{nameof(TlsOptions.CertificateFile)} = '{options.CertificateFile}' with {S}:{nameof(TlsOptions.KeyFile)} = " +
                    $"'{options.KeyFile}' cannot be loaded: {problem}";
            }
        }
        if (!string.IsNullOrEmpty(options.CaFile) && CaProblem(options.CaFile) is { } caProblem)
        {
            yield return $"{S}:{nameof(TlsOptions.CaFile)} = '{options.CaFile}' cannot be loaded: {caProblem}";
        }
    }

    /// <summary>The CA certificates of a PEM file.</summary>
    public static X509Certificate2Collection LoadCa(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
        {
            throw new CryptographicException("no PEM certificate in the file");
        }
        return collection;
    }

    private static string? CaProblem(string path)
    {
        try
        {
            LoadCa(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return e.Message;
        }
    }
}
