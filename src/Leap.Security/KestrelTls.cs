using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>Kestrel endpoints serving HTTPS from the PEM files of <see cref="TlsOptions"/> when they are configured.</summary>
public static class KestrelTls
{
    /// <summary>
    /// Uses the host's validated <see cref="TlsOptions"/> (registered by <see cref="SecurityHostingExtensions.AddSharedTokenAuth"/>):
    /// HTTPS with that certificate when <see cref="TlsOptions.CertificateFile"/> is set, cleartext otherwise. Invalid
    /// options throw <see cref="OptionsValidationException"/> naming the key.
    /// </summary>
    public static ListenOptions UseConfiguredTls(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var tls = listen.ApplicationServices.GetRequiredService<IOptions<TlsOptions>>().Value;
        return listen.UseTls(tls);
    }

    /// <summary>HTTPS with the certificate of <paramref name="tls"/> when it has one; unchanged otherwise.</summary>
    public static ListenOptions UseTls(this ListenOptions listen, TlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(tls);
        if (tls.ServesTls)
        {
            listen.UseHttps(X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile));
        }
        return listen;
    }
}
