using Leap.Runs.Configuration;
using k8s.Models;
using Leap.CentreService;
using Leap.Coordinator;
using Leap.Training.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>Binds the options of the rendered containers the way the processes in them do.</summary>
public static class Bindings
{
    /// <summary>The configuration prefix of every host (GrpcHostBuilder and TrainingConfigLoader).</summary>
    public const string Prefix = TrainingConfigLoader.EnvironmentPrefix;

    /// <summary>The shared token's variables (outside the LEAP_Section__Key scheme; mapped by AuthEnvironment.AddAuthEnvironment).</summary>
    public static readonly string[] AuthTokenVariables = [Leap.Security.AuthEnvironment.Token, Leap.Security.AuthEnvironment.TokenFile];

    /// <summary>
    /// The coordinator's <see cref="Leap.Security.AuthOptions"/> from the container's env the way its host reads them
    /// (LEAP_ prefix plus AuthEnvironment), through AddCoordinator, validated as at the host's start;
    /// <paramref name="files"/> maps a path in the container to a local file holding what the pod would see there.
    /// </summary>
    public static Leap.Security.AuthOptions CoordinatorAuth(V1Container container, IReadOnlyDictionary<string, string> files)
    {
        var env = Manifests.LiteralEnv(container).ToDictionary(e => e.Key, e => files.TryGetValue(e.Value, out var local) ? local : e.Value);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ConfigurationFromEnv(new V1Container { Name = container.Name, Env = env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList() }))
            .AddAuthEnvironmentFrom(env)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCoordinator(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<Leap.Security.AuthOptions>>().Value;
    }

    /// <summary>
    /// The centre service's <see cref="Leap.Security.AuthOptions"/> from the container's env the way its host reads them
    /// (LEAP_ prefix plus AuthEnvironment), through AddSharedTokenAuth (what AddCentreService registers), validated as at
    /// the host's start; <paramref name="files"/> as for <see cref="CoordinatorAuth"/>.
    /// </summary>
    public static Leap.Security.AuthOptions CentreServiceAuth(V1Container container, IReadOnlyDictionary<string, string> files)
    {
        var env = Manifests.LiteralEnv(container).ToDictionary(e => e.Key, e => files.TryGetValue(e.Value, out var local) ? local : e.Value);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ConfigurationFromEnv(new V1Container { Name = container.Name, Env = env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList() }))
            .AddAuthEnvironmentFrom(env)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        Leap.Security.SecurityHostingExtensions.AddSharedTokenAuth(services, configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<Leap.Security.AuthOptions>>().Value;
    }

    /// <summary>
    /// The centre service's options from the container's env and --set arguments, bound as AddCentreService binds them
    /// (the CentreService section, unknown keys throw) and checked by the host's own CentreServiceOptionsValidator.
    /// Leap.CentreService references Leap.Core (TorchSharp), so the options, validator and layout files are linked here.
    /// </summary>
    public static CentreServiceOptions CentreService(V1Container container)
    {
        var values = ConfigurationFromEnv(container);
        foreach (string setting in Manifests.SetArguments(container))
        {
            var kv = setting.Split('=', 2);
            values[kv[0]] = kv.Length == 2 ? kv[1] : "";
        }
        return CentreService(values);
    }

    /// <inheritdoc cref="CentreService(V1Container)"/>
    public static CentreServiceOptions CentreService(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddOptions<CentreServiceOptions>()
            .Bind(configuration.GetSection(CentreServiceOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true);
        services.AddSingleton<IValidateOptions<CentreServiceOptions>, CentreServiceOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CentreServiceOptions>>().Value;
    }

    /// <summary>A worker's client security from the container's env, through the worker's own loader (token required).</summary>
    public static Leap.Security.ClientSecurity WorkerSecurity(V1Container container, IReadOnlyDictionary<string, string> files)
    {
        var env = Manifests.LiteralEnv(container).ToDictionary(e => e.Key, e => files.TryGetValue(e.Value, out var local) ? local : e.Value);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ConfigurationFromEnv(new V1Container { Name = container.Name, Env = env.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList() }))
            .AddAuthEnvironmentFrom(env)
            .Build();
        return Leap.Security.ClientSecurity.FromConfiguration(configuration, requireToken: true);
    }

    private static IConfigurationBuilder AddAuthEnvironmentFrom(this IConfigurationBuilder builder, Dictionary<string, string> env) =>
        Leap.Security.AuthEnvironment.AddAuthEnvironment(builder, new System.Collections.Hashtable(env));

    /// <summary>
    /// The configuration keys a container's literal LEAP_* variables produce: what AddEnvironmentVariables("LEAP_")
    /// does (strip the prefix, "__" becomes ':').
    /// </summary>
    public static Dictionary<string, string?> ConfigurationFromEnv(V1Container container) =>
        Manifests.LiteralEnv(container)
            .Where(e => e.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => ConfigurationKey(e.Key), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);

    public static string ConfigurationKey(string variable) => variable[Prefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    /// <summary>Configuration keys under <paramref name="section"/> that no property of <paramref name="optionsType"/> binds to.</summary>
    public static IReadOnlyList<string> UnknownKeys(IEnumerable<KeyValuePair<string, string?>> values, string section, Type optionsType) =>
        ConfigurationKeyCheck.UnknownKeys(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section), optionsType);

    /// <summary>
    /// The coordinator's options from the container's env, through AddCoordinator: unknown Coordinator keys throw
    /// (ErrorOnUnknownConfiguration) and CoordinatorOptionsValidator runs, as at the host's start.
    /// </summary>
    public static CoordinatorOptions Coordinator(V1Container container)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(ConfigurationFromEnv(container)).Build();
        var services = new ServiceCollection();
        services.AddCoordinator(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
    }

    /// <summary>
    /// The worker's training options through TrainingConfigLoader (the worker's own loader): the ConfigMap's JSON as
    /// the file, the container's LEAP_TRAINING__* variables and its --set arguments as overrides.
    /// </summary>
    public static TrainingOptions Training(string trainingJson, V1Container worker)
    {
        string file = Path.Combine(Path.GetTempPath(), $"leap-deployment-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, trainingJson);
        try
        {
            var overrides = ConfigurationFromEnv(worker)
                .Where(e => e.Key.StartsWith(TrainingOptions.SectionName + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
                .Select(e => $"{e.Key}={e.Value}")
                .Concat(Manifests.SetArguments(worker));
            return TrainingConfigLoader.Load(file, overrides.ToList());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The training JSON the worker's --config points at: the ConfigMap key behind the volume mounted there.</summary>
    public static string TrainingJson(Manifests manifests)
    {
        var worker = manifests.WorkerContainer;
        string config = Manifests.Argument(worker, "--config") ?? throw new InvalidOperationException("the worker has no --config argument");
        var mount = (worker.VolumeMounts ?? []).SingleOrDefault(m => config.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no volume is mounted at the directory of --config {config}");
        var volume = manifests.Workers.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        var configMapName = volume.ConfigMap?.Name ?? throw new InvalidOperationException($"volume {volume.Name} behind {config} is not a ConfigMap");
        var configMap = manifests.Single<V1ConfigMap>(configMapName);
        string key = config[(mount.MountPath.TrimEnd('/').Length + 1)..];
        return configMap.Data.TryGetValue(key, out string? json)
            ? json
            : throw new InvalidOperationException($"ConfigMap {configMapName} has no key '{key}' (--config {config})");
    }

    public static V1VolumeMount MountOf(V1Container container, string path) =>
        (container.VolumeMounts ?? []).Where(m => path == m.MountPath || path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPath.Length)
            .FirstOrDefault() ?? throw new InvalidOperationException($"{container.Name}: no volume is mounted at or above {path}");
}
