using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>The objects of one rendered kustomization, parsed strictly into the KubernetesClient models.</summary>
public sealed partial class Manifests
{
    public const string CoordinatorName = "leap-coordinator";
    public const string WorkerJobName = "leap-worker";
    public const string CentreServiceName = "leap-centre";

    /// <summary>Kustomizations under k8s/ that render a complete deployment.</summary>
    public static TheoryData<string> Kustomizations => new() { "base", "overlays/cpu-smoke", "overlays/gpu", "overlays/recordio" };

    private Manifests(IReadOnlyList<object> objects) => Objects = objects;

    public IReadOnlyList<object> Objects { get; }

    /// <summary>Renders k8s/<paramref name="kustomization"/> with kubectl and parses every document (unknown fields are errors).</summary>
    public static Manifests Render(string kustomization) =>
        new(KubernetesYaml.LoadAllFromString(Kubectl.Kustomize(Path.Combine(RepositoryPaths.K8s, kustomization)), strict: true));

    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IMetadata<V1ObjectMeta>
    {
        var matches = Objects.OfType<T>().Where(o => o.Metadata.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one {typeof(T).Name} named '{name}', found {matches.Count}");
        return matches[0];
    }

    /// <summary>The generated (hash-suffixed) ConfigMap or Secret whose name starts with <paramref name="name"/>-.</summary>
    public T Generated<T>(string name) where T : IMetadata<V1ObjectMeta>
    {
        var matches = Objects.OfType<T>().Where(o => o.Metadata.Name == name || o.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one generated {typeof(T).Name} '{name}-<hash>', found {matches.Count}");
        return matches[0];
    }

    public V1Deployment Coordinator => Single<V1Deployment>(CoordinatorName);

    public V1Job Workers => Single<V1Job>(WorkerJobName);

    public V1Deployment CentreService => Single<V1Deployment>(CentreServiceName);

    public V1Container CentreServiceContainer => CentreService.Spec.Template.Spec.Containers.Single(c => c.Name == "centre-service");

    public V1Container CoordinatorContainer => Coordinator.Spec.Template.Spec.Containers.Single(c => c.Name == "coordinator");

    public V1Container WorkerContainer => Workers.Spec.Template.Spec.Containers.Single(c => c.Name == "worker");

    /// <summary>Every pod template: (owner name, pod spec).</summary>
    public IEnumerable<(string Owner, V1PodSpec Pod)> PodSpecs() =>
        OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
            .Concat(OfType<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)));

    /// <summary>Literal env values of a container (valueFrom entries are left out).</summary>
    public static Dictionary<string, string> LiteralEnv(V1Container container) =>
        (container.Env ?? []).Where(e => e.ValueFrom is null).ToDictionary(e => e.Name, e => e.Value ?? "", StringComparer.Ordinal);

    /// <summary>
    /// The value of <paramref name="option"/> in the container's args (<c>--x v</c> or <c>--x=v</c>), with <c>$(VAR)</c>
    /// references to literal env values expanded as the kubelet does; null when the option is absent.
    /// </summary>
    public static string? Argument(V1Container container, string option)
    {
        var args = container.Args ?? [];
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == option && i + 1 < args.Count)
            {
                return Expand(container, args[i + 1]);
            }
            if (args[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                return Expand(container, args[i][(option.Length + 1)..]);
            }
        }
        return null;
    }

    /// <summary>All <c>--set</c> values in the container's args.</summary>
    public static IEnumerable<string> SetArguments(V1Container container)
    {
        var args = container.Args ?? [];
        for (int i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == "--set")
            {
                yield return Expand(container, args[i + 1]);
            }
        }
    }

    /// <summary>Names referenced as <c>$(NAME)</c> in a string.</summary>
    public static IEnumerable<string> References(string value) => VariableReference().Matches(value).Select(m => m.Groups[1].Value);

    private static string Expand(V1Container container, string value)
    {
        var env = LiteralEnv(container);
        return VariableReference().Replace(value, m => env.TryGetValue(m.Groups[1].Value, out string? v) ? v : m.Value);
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
