using Grpc.AspNetCore.Server.Model;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator;

/// <summary>Adds the coordinator to an ASP.NET Core host: <c>services.AddCoordinator(configuration)</c>, <c>app.MapCoordinator()</c>.</summary>
public static class CoordinatorHostingExtensions
{
    /// <summary>
    /// Binds <see cref="CoordinatorOptions"/> from the <c>Coordinator</c> section of <paramref name="configuration"/>
    /// (unknown keys are errors), validates them when the host starts, and registers the job state and gRPC.
    /// Every call except the gRPC health service needs the shared token (<see cref="SecurityHostingExtensions.AddSharedTokenAuth"/>:
    /// <c>Auth:*</c>, <c>Tls:*</c>); messages are limited to <see cref="GrpcMessageLimits.Coordinator"/> both ways; a Kestrel
    /// server gets Coordinator:MaxConnections and IdleConnectionTimeout (<see cref="KestrelConnectionLimits"/>).
    /// A <see cref="TimeProvider"/> registered before this call (e.g. a fake one in tests) is kept.
    /// </summary>
    public static IServiceCollection AddCoordinator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSharedTokenAuth(configuration);
        services.AddOptions<CoordinatorOptions>()
            .Bind(configuration.GetSection(CoordinatorOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoordinatorOptions>, WorldSizeChangeValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
            return new CoordinatorStateFile(options.StateDirectory, options.JobId);
        });
        services.TryAddSingleton<JobState>();
        services.TryAddSingleton<IJobState>(sp => sp.GetRequiredService<JobState>());
        services.TryAddSingleton(Prometheus.Metrics.DefaultRegistry);
        services.TryAddSingleton<CoordinatorMetrics>();
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<CoordinationExceptionInterceptor>();
            grpc.MaxReceiveMessageSize = GrpcMessageLimits.Coordinator;
            grpc.MaxSendMessageSize = GrpcMessageLimits.Coordinator;
        });
        services.AddConnectionLimits<CoordinatorOptions>(o => o.MaxConnections, o => o.IdleConnectionTimeout);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CoordinatorService>>(
            new StrictRequestMethodProvider<CoordinatorService>(binder => Contracts.V1.Coordinator.BindService(binder, null!))));
        services.AddGrpcHealthChecks().AddCheck<CoordinatorHealthCheck>("coordinator");
        return services;
    }

    /// <summary>
    /// Maps the Coordinator gRPC service and the standard gRPC health service, and defines the coordinator's metrics on
    /// the registered <see cref="Prometheus.CollectorRegistry"/> (the process-wide default unless one was registered
    /// earlier); serving them is the host's choice.
    /// </summary>
    public static IEndpointRouteBuilder MapCoordinator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetRequiredService<CoordinatorMetrics>();
        endpoints.MapGrpcService<CoordinatorService>();
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }
}
