// A network written as a function of explicit tensors: Forward(input, values, training) computes logits from
// the values of the parameters (and state) in Parameters (and State) order. Keeping the values outside the
// network lets every method supply them its own way: plain training owns them as leaf tensors, EPR decodes them
// from latents, soft weight-sharing snaps them to mixture means, a file decodes them. Users write their own by
// subclassing (no registration needed to train, compress, decode or verify in-process); Architectures.Register
// lets command lines and `verify` rebuild one from the id a file names.
using static TorchSharp.torch;

namespace Compression.Models;

public abstract class Architecture
{
    Dictionary<string, int>? parameterIndex, stateIndex;

    /// <summary>Short identifier stored in compressed files, e.g. "lenet300-100".</summary>
    public abstract string Id { get; }

    public virtual string DisplayName => Id;

    public abstract IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Tensors that are not parameters but that the forward pass needs (batch-norm running statistics).</summary>
    public virtual IReadOnlyList<StateSpec> State => [];

    /// <summary>
    /// Logits for a batch of inputs given the values of the parameters and state. In training mode, normalisation
    /// layers use batch statistics and update the running statistics in <paramref name="values"/>' state in place.
    /// </summary>
    public abstract Tensor Forward(Tensor input, NetworkValues values, bool training = false);

    /// <summary>Evaluation-mode logits of a network without state from its parameters alone.</summary>
    public Tensor Forward(Tensor input, IReadOnlyList<Tensor> parameters)
    {
        if (State.Count > 0) throw new InvalidOperationException($"{DisplayName} has state ({State[0].Name}, ...): pass NetworkValues");
        return Forward(input, new NetworkValues(this, parameters, [], owns: false));
    }

    /// <summary>
    /// Where dead-unit pruning is exact (see <see cref="UnitLink"/>); empty (the default) when the graph is not a
    /// plain chain or the architecture does not say.
    /// </summary>
    public virtual IReadOnlyList<UnitLink> UnitLinks => [];

    public long ParameterCount => Parameters.Sum(p => p.Count);

    /// <summary>Bytes of the parameters stored as float32: the "uncompressed size" of Table 1.</summary>
    public long UncompressedBytes => 4 * ParameterCount;

    /// <summary>True when any parameter belongs to a convolution (such networks check libtorch's convolution first).</summary>
    public bool HasConvolutions => Parameters.Any(p => p.Kind == LayerKind.Convolution);

    public int IndexOf(string name) =>
        (parameterIndex ??= Parameters.Select((p, i) => (p.Name, i)).ToDictionary(t => t.Name, t => t.i)).TryGetValue(name, out int i)
            ? i : throw new ArgumentException($"{Id} has no parameter '{name}'");

    public bool HasParameter(string name) =>
        (parameterIndex ??= Parameters.Select((p, i) => (p.Name, i)).ToDictionary(t => t.Name, t => t.i)).ContainsKey(name);

    public int StateIndexOf(string name) =>
        (stateIndex ??= State.Select((s, i) => (s.Name, i)).ToDictionary(t => t.Name, t => t.i)).TryGetValue(name, out int i)
            ? i : throw new ArgumentException($"{Id} has no state tensor '{name}'");

    public bool HasState(string name) =>
        (stateIndex ??= State.Select((s, i) => (s.Name, i)).ToDictionary(t => t.Name, t => t.i)).ContainsKey(name);

    /// <summary>
    /// The initial value of one parameter, by role: weights He-normal N(0, 2 / fan_in), biases and shifts 0, scales 1.
    /// Weights draw from libtorch's global generator, in parameter order, so <c>torch.manual_seed</c> fixes them.
    /// Override for another initialisation.
    /// </summary>
    public virtual Tensor Initialize(ParameterSpec parameter, Device? device = null) => parameter.Role switch
    {
        ParameterRole.Weight => randn(parameter.Shape, device: device) * Math.Sqrt(2.0 / parameter.FanIn),
        ParameterRole.NormScale => ones(parameter.Shape, device: device),
        _ => zeros(parameter.Shape, device: device),
    };

    /// <summary>Initial values of every parameter (see <see cref="Initialize(ParameterSpec, Device)"/>).</summary>
    public IReadOnlyList<Tensor> Initialize(Device? device = null) => Parameters.Select(p => Initialize(p, device)).ToList();

    /// <summary>Initial state: each tensor filled with its spec's initial value.</summary>
    public IReadOnlyList<Tensor> InitialState(Device? device = null) =>
        State.Select(s => full(s.Shape, s.Initial, dtype: float32, device: device)).ToList();

    /// <summary>A freshly initialised network: parameters by role, state at its initial values.</summary>
    public NetworkValues NewNetwork(Device? device = null) => new(this, Initialize(device), InitialState(device));

    public override string ToString() => $"{DisplayName}: {Parameters.Count} parameter tensors, {ParameterCount:N0} parameters";
}
