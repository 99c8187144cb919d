using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>Adds the shared-token check and the TLS options to a gRPC host.</summary>
public static class SecurityHostingExtensions
{
    /// <summary>
    /// Binds <see cref="AuthOptions"/> (section <c>Auth</c>) and <see cref="TlsOptions"/> (section <c>Tls</c>) from
    /// <paramref name="configuration"/> (unknown keys are errors) and validates them when the host starts: no token and
    /// no <c>Auth:Disabled=true</c> stops the start. Adds <see cref="SharedTokenAuthInterceptor"/> as the first global
    /// gRPC interceptor, so a refused call never reaches a service or another interceptor. Call it before any other
    /// <c>AddGrpc</c>. Idempotent.
    /// </summary>
    public static IServiceCollection AddSharedTokenAuth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(SharedTokenAuthInterceptor)))
        {
            return services;
        }
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(requireToken: true)));
        services.AddOptions<TlsOptions>()
            .Bind(configuration.GetSection(TlsOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>());
        services.AddSingleton(sp => new SharedTokenAuthInterceptor(sp.GetRequiredService<IOptions<AuthOptions>>().Value.LoadToken(),
            sp.GetRequiredService<ILogger<SharedTokenAuthInterceptor>>()));
        services.AddGrpc(grpc => grpc.Interceptors.Add<SharedTokenAuthInterceptor>());
        services.AddHostedService<SecurityStartupReport>();
        return services;
    }
}
