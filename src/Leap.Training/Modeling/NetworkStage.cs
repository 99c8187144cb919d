using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Leap.Training.Modeling;

/// <summary>
/// One of the consecutive pieces a network is cut into (<see cref="EmbeddingNetwork.Stages"/>): it maps the previous
/// stage's output to its own and owns <see cref="Parameters"/>, which no other stage uses. Running the stages one after
/// the other computes the network's forward.
/// </summary>
public sealed class NetworkStage
{
    private readonly Func<Tensor, Tensor> _forward;

    private NetworkStage(string name, Func<Tensor, Tensor> forward, IReadOnlyList<Parameter> parameters)
    {
        Name = name;
        _forward = forward;
        Parameters = parameters;
    }

    /// <param name="name">For messages, e.g. "layer3".</param>
    /// <param name="forward">The stage's computation.</param>
    /// <param name="modules">The modules whose parameters the computation uses.</param>
    public NetworkStage(string name, Func<Tensor, Tensor> forward, IEnumerable<Module> modules)
        : this(name, forward, modules.SelectMany(m => m.parameters()).ToList())
    {
    }

    /// <summary>A stage that runs <paramref name="modules"/> in order.</summary>
    public static NetworkStage Sequence(string name, params Module<Tensor, Tensor>[] modules) => new(name, input =>
    {
        var x = input;
        foreach (var module in modules)
        {
            x = module.forward(x);
        }
        return x;
    }, modules);

    public string Name { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public Tensor Forward(Tensor input) => _forward(input);

    /// <summary>This stage with a parameter-free <paramref name="transform"/> of its input in front (e.g. a channel repeat).</summary>
    public NetworkStage AfterInput(Func<Tensor, Tensor> transform) => new(Name, input => _forward(transform(input)), Parameters);
}
