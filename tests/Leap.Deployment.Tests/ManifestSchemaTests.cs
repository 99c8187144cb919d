using k8s;
using k8s.Models;
using Leap.Deployment.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Leap.Deployment.Tests;

/// <summary>Every YAML file under k8s/ parses into the typed Kubernetes models, with unknown fields as errors.</summary>
public sealed class ManifestSchemaTests
{
    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in RepositoryPaths.K8sYamlFiles().Where(f => !IsKustomization(f)))
        {
            data.Add(file);
        }
        return data;
    }

    public static TheoryData<string> KustomizationFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in RepositoryPaths.K8sYamlFiles().Where(IsKustomization))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void LoadAllFromString_ManifestFile_ParsesStrictlyIntoTypedModels(string file)
    {
        string yaml = File.ReadAllText(RepositoryPaths.Combine(file));

        var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.True(o is IKubernetesObject { ApiVersion: not null, Kind: not null } k && o.GetType().Name != nameof(Object),
            $"{file}: a document did not map to a Kubernetes model ({o?.GetType().Name})"));
    }

    [Fact]
    public void LoadAllFromString_UnknownField_Throws()
    {
        const string yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicaz: 1\n";

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, strict: true));
        Assert.IsType<V1Deployment>(Assert.Single(KubernetesYaml.LoadAllFromString(yaml, strict: false)));
    }

    [Theory]
    [MemberData(nameof(KustomizationFiles))]
    public void Kustomization_EveryReferencedPath_Exists(string file)
    {
        string directory = Path.GetDirectoryName(RepositoryPaths.Combine(file))!;
        var stream = new YamlStream();
        using (var reader = new StreamReader(RepositoryPaths.Combine(file)))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;

        var referenced = new List<string>();
        referenced.AddRange(Sequence(root, "resources").Select(n => ((YamlScalarNode)n).Value!));
        referenced.AddRange(Sequence(root, "patches").OfType<YamlMappingNode>().Select(p => Scalar(p, "path")).OfType<string>());
        foreach (var generator in Sequence(root, "configMapGenerator").Concat(Sequence(root, "secretGenerator")).OfType<YamlMappingNode>())
        {
            referenced.AddRange(Sequence(generator, "files").Select(n => ((YamlScalarNode)n).Value!.Split('=').Last()));
        }

        Assert.NotEmpty(referenced);
        Assert.All(referenced, path => Assert.True(File.Exists(Path.Combine(directory, path)) || Directory.Exists(Path.Combine(directory, path)),
            $"{file} references '{path}', which does not exist"));
    }

    private static bool IsKustomization(string file) => Path.GetFileName(file) is "kustomization.yaml" or "kustomization.yml";

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence ? sequence.Children : [];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
