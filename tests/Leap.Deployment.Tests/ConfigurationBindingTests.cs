using k8s.Models;
using Leap.CentreService;
using Leap.Coordinator;
using Leap.Deployment.Tests.Infrastructure;
using Leap.Training.Configuration;

namespace Leap.Deployment.Tests;

/// <summary>
/// The configuration in the manifests binds to real option properties, through the same loaders the processes use,
/// and the coordinator's job matches the workers' training configuration.
/// </summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public void TrainingJson_BaseFile_LoadsWithOnlyKnownKeys()
    {
        string json = File.ReadAllText(RepositoryPaths.Combine("k8s", "base", "training.json"));

        var options = LoadTraining(json, []);

        Assert.Equal("/runs/leap", options.OutputDirectory);
        Assert.Equal("/data/fashion-mnist", options.Data.Path);
    }

    [Fact]
    public void TrainingJson_UnknownKey_IsRejected()
    {
        var error = Assert.Throws<Leap.Runs.Configuration.ConfigurationException>(() => LoadTraining("""{ "Training": { "Stepz": 1 } }""", []));

        Assert.Contains("Training:Stepz", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Loss:Margin=CosFase", "Training:Loss:Margin must be one of ")]
    [InlineData("Leap.Variant=Ful", "Training:Leap:Variant must be one of None, Vanilla, Full (was 'Ful').")]
    public void TrainingSet_EnumTypo_RejectedNamingKeyAndAllowedValues(string setting, string expected)
    {
        var error = Assert.Throws<Leap.Runs.Configuration.ConfigurationException>(() => Leap.Runs.Configuration.TrainingConfigLoader.Load(null, [setting]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        string key = expected.Split(' ')[0];
        var property = key.Split(':')[1..].Aggregate(typeof(TrainingOptions), (t, name) => t.GetProperty(name)!.PropertyType);
        Assert.All(Enum.GetNames(property), name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void TrainingSet_EnumNameInAnyCase_Accepted()
    {
        var options = Leap.Runs.Configuration.TrainingConfigLoader.Load(null, ["Loss:Margin=arcface"]);

        Assert.Equal(Leap.Core.Margins.MarginKind.ArcFace, options.Loss.Margin);
    }

    [KubectlTheory]

    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void LeapVariables_EveryName_BindsToAnOptionPropertyOfItsProcess(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);

        AssertBinds(manifests.CoordinatorContainer, CoordinatorOptions.SectionName, typeof(CoordinatorOptions));
        AssertBinds(manifests.CentreServiceContainer, CentreServiceOptions.SectionName, typeof(CentreServiceOptions));
        AssertBinds(manifests.WorkerContainer, TrainingOptions.SectionName, typeof(TrainingOptions));
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CoordinatorOptions_FromEnv_BindAndValidate(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);

        var options = Bindings.Coordinator(manifests.CoordinatorContainer);

        Assert.Equal(Manifests.Argument(manifests.WorkerContainer, "--job") ?? CliSource.Commands["worker"].Defaults["--job"], options.JobId);
        Assert.Equal(Bindings.MountOf(manifests.CoordinatorContainer, options.StateDirectory).Name,
            ClaimVolume(manifests.Coordinator.Spec.Template.Spec, "leap-runs").Name);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CentreServiceOptions_FromEnvAndSet_BindAndValidateWithTheStateOnItsClaim(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var container = manifests.CentreServiceContainer;
        var documented = typeof(CentreServiceEnvironmentVariables).GetFields()
            .Select(f => Bindings.Prefix + (string)f.GetValue(null)!).ToHashSet(StringComparer.Ordinal);

        var options = Bindings.CentreService(container);

        Assert.All(Manifests.LiteralEnv(container).Keys.Where(n => n.StartsWith(Bindings.Prefix + CentreServiceOptions.SectionName, StringComparison.OrdinalIgnoreCase)),
            name => Assert.True(documented.Contains(name), $"{name} is not LEAP_ + a CentreServiceEnvironmentVariables name"));
        Assert.Equal(options.StateDirectory, Manifests.LiteralEnv(container)[Bindings.Prefix + CentreServiceEnvironmentVariables.StateDirectory]);
        Assert.StartsWith("/", options.StateDirectory, StringComparison.Ordinal);
        var mount = Bindings.MountOf(container, options.StateDirectory);
        Assert.Equal(ClaimVolume(manifests.CentreService.Spec.Template.Spec, "leap-centre-state").Name, mount.Name);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        Assert.Null(options.Layout()); // the first worker initialises the layout (the Initialise RPC)
    }

    [Fact]
    public void CentreServiceOptions_UnknownOrInvalidKey_IsRejected()
    {
        var unknown = Assert.Throws<InvalidOperationException>(() => Bindings.CentreService([new("CentreService:StateDirectoryz", "/state")]));
        var invalid = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Bindings.CentreService([new("CentreService:Partitions", "0")]));

        Assert.Contains("StateDirectoryz", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("CentreService:Partitions", string.Join(' ', invalid.Failures), StringComparison.Ordinal);
        Assert.Equal(["CentreService:StateDirectoryz"], Bindings.UnknownKeys([new("CentreService:StateDirectoryz", "/state")], CentreServiceOptions.SectionName, typeof(CentreServiceOptions)));
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void TrainingOptions_ConfigMapEnvAndSet_LoadAndMatchTheCoordinatorsJob(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var worker = manifests.WorkerContainer;

        var training = Bindings.Training(Bindings.TrainingJson(manifests), worker);
        var coordinator = Bindings.Coordinator(manifests.CoordinatorContainer);

        Assert.Equal(training.BatchSize, coordinator.GlobalBatchSize);
        Assert.Equal(training.Seed, coordinator.Seed);
        Assert.True(training.BatchSize % coordinator.WorldSize == 0,
            $"Training:BatchSize {training.BatchSize} must be divisible by the world size {coordinator.WorldSize} (leap worker exits with 2 otherwise)");
        var pod = manifests.Workers.Spec.Template.Spec;
        var output = Bindings.MountOf(worker, training.OutputDirectory);
        Assert.Equal(ClaimVolume(pod, "leap-runs").Name, output.Name);
        Assert.NotEqual(true, output.ReadOnlyProperty);
        var data = Bindings.MountOf(worker, training.Data.Path);
        Assert.Equal(ClaimVolume(pod, "leap-data").Name, data.Name);
        var wait = Assert.Single(pod.InitContainers);
        // A folder format waits for files in Data:Path; RecordIo's Data:Path is the .rec itself.
        string waitedFor = training.Data.Format == DataFormat.RecordIo ? training.Data.Path : training.Data.Path + "/";
        Assert.Contains(waitedFor, string.Join(' ', wait.Command), StringComparison.Ordinal);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void AuthToken_CoordinatorAndWorkers_ReadTheSecretThroughTheFileTheAppsRead(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var secret = manifests.Generated<V1Secret>("leap-auth");
        string local = Path.Combine(Path.GetTempPath(), $"leap-deployment-token-{Guid.NewGuid():N}");
        File.WriteAllBytes(local, Assert.Contains("token", secret.Data));
        try
        {
            foreach (var (container, pod) in new[]
                     {
                         (manifests.CoordinatorContainer, manifests.Coordinator.Spec.Template.Spec),
                (manifests.CentreServiceContainer, manifests.CentreService.Spec.Template.Spec),
                         (manifests.WorkerContainer, manifests.Workers.Spec.Template.Spec),
                     })
            {
                var env = Manifests.LiteralEnv(container);
                Assert.False(env.ContainsKey(Leap.Security.AuthEnvironment.Token) || (container.Env ?? []).Any(e => e.Name == Leap.Security.AuthEnvironment.Token),
                    $"{container.Name}: the token should come from the mounted Secret file, not an env value");
                string path = Assert.Contains(Leap.Security.AuthEnvironment.TokenFile, env);
                var mount = Bindings.MountOf(container, path);
                Assert.True(mount.ReadOnlyProperty, $"{container.Name}: the token mount {mount.MountPath} must be read-only");
                var volume = pod.Volumes.Single(v => v.Name == mount.Name);
                Assert.Equal(secret.Metadata.Name, volume.Secret?.SecretName);
                Assert.Equal("token", path[(mount.MountPath.TrimEnd('/').Length + 1)..]);
                var files = new Dictionary<string, string> { [path] = local };
                if (container.Name == "coordinator")
                {
                    var auth = Bindings.CoordinatorAuth(container, files);
                    Assert.Equal((local, false), (auth.TokenFile, auth.Disabled));
                    Assert.NotNull(auth.LoadToken());
                }
                else if (container.Name == "centre-service")
                {
                    var auth = Bindings.CentreServiceAuth(container, files);
                    Assert.Equal((local, false), (auth.TokenFile, auth.Disabled));
                    Assert.NotNull(auth.LoadToken());
                }
                else
                {
                    Assert.NotNull(Bindings.WorkerSecurity(container, files).Token);
                }
            }
        }
        finally
        {
            File.Delete(local);
        }
    }

    private static TrainingOptions LoadTraining(string json, V1EnvVar[] env) =>
        Bindings.Training(json, new V1Container { Name = "worker", Env = env, Args = ["worker"] });

    private static void AssertBinds(V1Container container, string section, Type optionsType)
    {
        var variables = (container.Env ?? []).Select(e => e.Name)
            .Where(n => n.StartsWith(Bindings.Prefix, StringComparison.OrdinalIgnoreCase) && !Bindings.AuthTokenVariables.Contains(n))
            .ToList();
        Assert.NotEmpty(variables);
        foreach (string variable in variables)
        {
            string key = Bindings.ConfigurationKey(variable);
            Assert.True(key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase),
                $"{container.Name}: {variable} sets '{key}', outside the {section} section this process reads");
            var unknown = Bindings.UnknownKeys([new(key, "0")], section, optionsType);
            Assert.True(unknown.Count == 0, $"{container.Name}: {variable} sets '{key}', which no {optionsType.Name} property binds");
        }
    }

    private static V1Volume ClaimVolume(V1PodSpec pod, string claim) =>
        pod.Volumes.Single(v => v.PersistentVolumeClaim?.ClaimName == claim);
}
