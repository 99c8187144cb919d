using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>Ports, command lines and world sizes of the rendered manifests agree with each other and with the CLI.</summary>
public sealed class PortAndArgumentTests
{
    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CoordinatorPort_ServiceContainerProbesAndWorkerUrl_MatchTheCliDefault(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var container = manifests.CoordinatorContainer;
        var service = manifests.Single<V1Service>(Manifests.CoordinatorName);
        int cliDefault = int.Parse(CliSource.Commands["coordinator"].Defaults["--port"]!, System.Globalization.CultureInfo.InvariantCulture);

        int argPort = int.Parse(Manifests.Argument(container, "--port") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var containerPort = Assert.Single(container.Ports, p => p.Name == "grpc");
        var servicePort = Assert.Single(service.Spec.Ports);
        var workerUrl = new Uri(Manifests.Argument(manifests.WorkerContainer, "--coordinator")!);

        Assert.Equal(cliDefault, argPort);
        Assert.Equal(argPort, containerPort.ContainerPort);
        Assert.Equal(containerPort.Name, servicePort.TargetPort.Value);
        Assert.Equal(argPort, servicePort.Port);
        Assert.Equal((service.Metadata.Name, servicePort.Port), (workerUrl.Host, workerUrl.Port));
        Assert.Equal("http", workerUrl.Scheme);
        Assert.All(new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe },
            probe => Assert.Equal(argPort, probe?.Grpc?.Port));
        Assert.Contains(Manifests.Argument(container, "--listen"), new[] { "*", "0.0.0.0" });
        Assert.Equal(service.Spec.Selector, manifests.Coordinator.Spec.Template.Metadata.Labels.Where(l => service.Spec.Selector.ContainsKey(l.Key)).ToDictionary());
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void CentreServicePort_ServiceContainerProbesAndWorkerUrl_MatchTheCliDefault(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var container = manifests.CentreServiceContainer;
        var service = manifests.Single<V1Service>(Manifests.CentreServiceName);
        int cliDefault = int.Parse(CliSource.Commands["centre-service"].Defaults["--port"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(CliSource.Commands["worker"].HasOption("--centre-service"), "`leap worker` has no --centre-service option");

        int argPort = int.Parse(Manifests.Argument(container, "--port") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var containerPort = Assert.Single(container.Ports, p => p.Name == "grpc");
        var servicePort = Assert.Single(service.Spec.Ports);
        var workerUrl = new Uri(Manifests.Argument(manifests.WorkerContainer, "--centre-service")
            ?? throw new Xunit.Sdk.XunitException("the workers do not pass --centre-service"));

        Assert.Equal(cliDefault, argPort);
        Assert.Equal(argPort, containerPort.ContainerPort);
        Assert.Equal(containerPort.Name, servicePort.TargetPort.Value);
        Assert.Equal(argPort, servicePort.Port);
        Assert.Equal("kubernetes.io/h2c", servicePort.AppProtocol);
        Assert.Equal((service.Metadata.Name, servicePort.Port), (workerUrl.Host, workerUrl.Port));
        Assert.Equal("http", workerUrl.Scheme);
        Assert.Equal("/", workerUrl.AbsolutePath);
        Assert.All(new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe },
            probe => Assert.Equal(argPort, probe?.Grpc?.Port));
        Assert.Contains(Manifests.Argument(container, "--listen"), new[] { "*", "0.0.0.0" });
        Assert.Equal(service.Spec.Selector, manifests.CentreService.Spec.Template.Metadata.Labels.Where(l => service.Spec.Selector.ContainsKey(l.Key)).ToDictionary());
        // The selector picks the centre service's pods only, not the coordinator's.
        Assert.NotEqual(service.Spec.Selector, manifests.Coordinator.Spec.Template.Metadata.Labels.Where(l => service.Spec.Selector.ContainsKey(l.Key)).ToDictionary());
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void WorkerPeerPort_ArgumentAndContainerPort_Agree(string kustomization)
    {
        var worker = Manifests.Render(kustomization).WorkerContainer;

        var port = Assert.Single(worker.Ports, p => p.Name == "peer");

        Assert.Equal("5200", Manifests.Argument(worker, "--peer-port"));
        Assert.Equal(5200, port.ContainerPort);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void WorldSize_JobCoordinatorAndWorkerArguments_Agree(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);
        var job = manifests.Workers.Spec;

        int worldSize = int.Parse(Manifests.Argument(manifests.WorkerContainer, "--world-size") ?? "", System.Globalization.CultureInfo.InvariantCulture);

        int coordinator = Bindings.Coordinator(manifests.CoordinatorContainer).WorldSize;

        Assert.True((job.Completions, job.Parallelism, coordinator) == (worldSize, worldSize, worldSize),
            $"world size: worker --world-size {worldSize}, Job completions {job.Completions}, parallelism {job.Parallelism}, "
            + $"coordinator Coordinator:WorldSize {coordinator}; all four must be equal");
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void WorkerIdentity_RankAndPeerHost_ComeFromCompletionIndexAndPodIp(string kustomization)
    {
        var worker = Manifests.Render(kustomization).WorkerContainer;
        var env = worker.Env.ToDictionary(e => e.Name, StringComparer.Ordinal);

        Assert.Equal("$(JOB_COMPLETION_INDEX)", Manifests.Argument(worker, "--rank"));
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["JOB_COMPLETION_INDEX"].ValueFrom?.FieldRef?.FieldPath);
        Assert.Equal("$(POD_IP)", Manifests.Argument(worker, "--peer-host"));
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom?.FieldRef?.FieldPath);
    }

    [KubectlTheory]
    [MemberData(nameof(Manifests.Kustomizations), MemberType = typeof(Manifests))]
    public void LeapContainers_Arguments_AreOptionsOfARegisteredCommand(string kustomization)
    {
        var manifests = Manifests.Render(kustomization);

        foreach (var container in new[] { manifests.CoordinatorContainer, manifests.CentreServiceContainer, manifests.WorkerContainer })
        {
            var args = container.Args;
            Assert.True(CliSource.Commands.TryGetValue(args[0], out var command),
                $"{container.Name}: '{args[0]}' is not a leap command (have: {string.Join(", ", CliSource.Commands.Keys)})");
            var options = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]).ToList();
            Assert.All(options, o => Assert.True(command.HasOption(o), $"{container.Name}: `leap {command.Name}` has no option {o}"));
            Assert.All(command.Required, o => Assert.Contains(o, options));
            var declared = (container.Env ?? []).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            Assert.All(args.SelectMany(Manifests.References),
                name => Assert.True(declared.Contains(name), $"{container.Name}: $({name}) is used in args but not declared in env, so it would not expand"));
        }
    }
}
