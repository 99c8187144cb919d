using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Leap.Launch;

/// <summary>
/// A service (coordinator, centre service) started by <c>leap launch</c>. Ctrl-C in a terminal signals the launcher's
/// whole process group, services included; a service that stopped then would refuse the workers' last checkpoint
/// report. So a launched service ignores SIGINT and stops on SIGTERM, which the launcher sends once the workers have
/// exited. The launcher marks its services with <see cref="EnvironmentVariable"/>.
/// </summary>
public static class LaunchedService
{
    public const string EnvironmentVariable = "LEAP_LAUNCHED_SERVICE";

    /// <summary>The value the launcher gives <see cref="EnvironmentVariable"/>.</summary>
    public const string On = "1";

    public static bool IsThisProcess => Environment.GetEnvironmentVariable(EnvironmentVariable) == On;

    /// <summary>In a launched service, replaces the host's console lifetime (which stops on SIGINT) with <see cref="SigtermLifetime"/>.</summary>
    public static void UseSigtermLifetimeIfLaunched(IServiceCollection services)
    {
        if (IsThisProcess)
        {
            services.AddSingleton<IHostLifetime, SigtermLifetime>();
        }
    }

    /// <summary>Stops the host on SIGTERM (and SIGQUIT); swallows SIGINT, which was meant for the workers.</summary>
    private sealed class SigtermLifetime(IHostApplicationLifetime application) : IHostLifetime, IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true));
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    application.StopApplication();
                }));
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }
        }
    }
}
