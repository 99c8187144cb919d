using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>
/// The connection limits of the job's gRPC servers (coordinator, centre service), so idle or half-open connections
/// cannot exhaust a server's memory or file descriptors: at most <c>MaxConnections</c> open connections (Kestrel closes
/// further ones as soon as it accepts them), and a connection with no call in progress, or that never sends its first
/// request, is closed after <c>IdleConnectionTimeout</c>. Each host sets both through its own options section.
/// </summary>
public static class KestrelConnectionLimits
{
    public const int DefaultMaxConnections = 1024;
    public const int MaxMaxConnections = 1 << 20;
    public static readonly TimeSpan DefaultIdleConnectionTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinIdleConnectionTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxIdleConnectionTimeout = TimeSpan.FromHours(1);

    /// <summary>How long a client may take to send a request's headers once it has started one.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Server pings on a connection silent this long (a call in progress whose client died), closed when unanswered this long.</summary>
    public static readonly TimeSpan PingDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gives any Kestrel server of the host the limits read from its validated <typeparamref name="TOptions"/>. Options that
    /// do not bind or validate leave Kestrel's defaults: the host's start then fails on them (ValidateOnStart) with the
    /// message naming the key, instead of building the host failing with a stack trace.
    /// </summary>
    public static IServiceCollection AddConnectionLimits<TOptions>(this IServiceCollection services, Func<TOptions, int> maxConnections,
        Func<TOptions, TimeSpan> idleConnectionTimeout) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(maxConnections);
        ArgumentNullException.ThrowIfNull(idleConnectionTimeout);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<TOptions>>((kestrel, options) =>
        {
            TOptions value;
            try
            {
                value = options.Value;
            }
            catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
            {
                return;
            }
            Apply(kestrel.Limits, maxConnections(value), idleConnectionTimeout(value));
        });
        return services;
    }

    /// <summary>Sets <paramref name="limits"/> (every endpoint of the server: gRPC and metrics).</summary>
    public static void Apply(KestrelServerLimits limits, int maxConnections, TimeSpan idleConnectionTimeout)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxConcurrentConnections = maxConnections;
        limits.KeepAliveTimeout = idleConnectionTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.Http2.KeepAlivePingDelay = PingDelay;
        limits.Http2.KeepAlivePingTimeout = PingTimeout;
    }

    /// <summary>What is wrong with the two settings of section <paramref name="section"/>, one message per key.</summary>
    public static IEnumerable<string> Problems(string section, int maxConnections, TimeSpan idleConnectionTimeout)
    {
        if (maxConnections is < 1 or > MaxMaxConnections)
        {
            yield return $"{section}:MaxConnections must be between 1 and {MaxMaxConnections} (was {maxConnections}).";
        }
        if (idleConnectionTimeout < MinIdleConnectionTimeout || idleConnectionTimeout > MaxIdleConnectionTimeout)
        {
            yield return $"{section}:IdleConnectionTimeout must be between {Format(MinIdleConnectionTimeout)} and {Format(MaxIdleConnectionTimeout)} (was {Format(idleConnectionTimeout)}).";
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
