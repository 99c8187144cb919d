using Grpc.AspNetCore.Server.Model;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leap.CentreService;

/// <summary>Adds the centre service to an ASP.NET Core host: <c>services.AddCentreService(configuration)</c>, <c>app.MapCentreService()</c>.</summary>
public static class CentreServiceHostingExtensions
{
    /// <summary>
    /// Binds <see cref="CentreServiceOptions"/> from the <c>CentreService</c> section (unknown keys are errors),
    /// validates them when the host starts, registers the store (recovered from the state directory at start-up,
    /// snapshotted periodically and on stop) and gRPC. Every call except the gRPC health service needs the shared token
    /// (<see cref="SecurityHostingExtensions.AddSharedTokenAuth"/>: <c>Auth:*</c>, <c>Tls:*</c>); received messages are
    /// limited to CentreService:MaxReceiveMessageBytes, sent ones to <see cref="GrpcMessageLimits.CentreService"/>; a Kestrel
    /// server gets CentreService:MaxConnections and IdleConnectionTimeout (<see cref="KestrelConnectionLimits"/>).
    /// A <see cref="TimeProvider"/> registered earlier is kept.
    /// </summary>
    public static IServiceCollection AddCentreService(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSharedTokenAuth(configuration);
        services.AddOptions<CentreServiceOptions>()
            .Bind(configuration.GetSection(CentreServiceOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CentreServiceOptions>, CentreServiceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CentreStore>();
        services.TryAddSingleton<ICentreStore>(sp => sp.GetRequiredService<CentreStore>());
        services.AddHostedService<CentreStoreLifetime>();
        services.TryAddSingleton(Prometheus.Metrics.DefaultRegistry);
        services.TryAddSingleton<CentreServiceMetrics>();
        services.AddGrpc(grpc => grpc.Interceptors.Add<CentreStoreExceptionInterceptor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CentreGrpcService>>(
            new StrictRequestMethodProvider<CentreGrpcService>(binder => global::Leap.Contracts.V1.CentreService.BindService(binder, null!))));
        services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions<CentreGrpcService>>()
            .Configure<IOptions<CentreServiceOptions>>((grpc, centre) =>
            {
                grpc.MaxReceiveMessageSize = centre.Value.MaxReceiveMessageBytes;
                grpc.MaxSendMessageSize = GrpcMessageLimits.CentreService;
            });
        services.AddConnectionLimits<CentreServiceOptions>(o => o.MaxConnections, o => o.IdleConnectionTimeout);
        services.AddGrpcHealthChecks().AddCheck<CentreStoreHealthCheck>("centre-store");
        return services;
    }

    /// <summary>
    /// Maps the CentreService gRPC service and the standard gRPC health service, and defines the service's metrics on the
    /// registered <see cref="Prometheus.CollectorRegistry"/> (the process-wide default unless one was registered earlier).
    /// </summary>
    public static IEndpointRouteBuilder MapCentreService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetRequiredService<CentreServiceMetrics>();
        endpoints.MapGrpcService<CentreGrpcService>();
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }
}
