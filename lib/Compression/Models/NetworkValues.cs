// The values of a network: one tensor per parameter and per state tensor of an architecture, in their order.
// What training produces, what a compressed file decodes to, and what evaluation runs.
using static TorchSharp.torch;

namespace Compression.Models;

public sealed class NetworkValues : IDisposable
{
    readonly bool owns;

    /// <summary>
    /// Values for <paramref name="architecture"/>: shapes are checked against its specs. With <paramref name="owns"/>,
    /// disposing this object disposes the tensors.
    /// </summary>
    public NetworkValues(Architecture architecture, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> state, bool owns = true)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (parameters.Count != architecture.Parameters.Count)
            throw new ArgumentException($"{architecture.DisplayName} has {architecture.Parameters.Count} parameter tensors, got {parameters.Count}");
        if (state.Count != architecture.State.Count)
            throw new ArgumentException($"{architecture.DisplayName} has {architecture.State.Count} state tensors, got {state.Count}");
        for (int i = 0; i < parameters.Count; i++)
            if (!parameters[i].shape.SequenceEqual(architecture.Parameters[i].Shape))
                throw new ArgumentException($"{architecture.Parameters[i].Name}: shape [{string.Join(", ", parameters[i].shape)}], the architecture says {architecture.Parameters[i]}");
        for (int i = 0; i < state.Count; i++)
            if (!state[i].shape.SequenceEqual(architecture.State[i].Shape))
                throw new ArgumentException($"{architecture.State[i].Name}: shape [{string.Join(", ", state[i].shape)}], the architecture says {architecture.State[i]}");
        Architecture = architecture;
        Parameters = parameters;
        State = state;
        this.owns = owns;
    }

    /// <summary>Values from float32 arrays in the architecture's order (what decoders produce), on <paramref name="device"/>.</summary>
    public static NetworkValues FromArrays(Architecture architecture, IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> state, Device? device = null) =>
        new(architecture,
            parameters.Select((v, i) => tensor(v, architecture.Parameters[i].Shape, device: device)).ToList(),
            state.Select((v, i) => tensor(v, architecture.State[i].Shape, device: device)).ToList());

    public Architecture Architecture { get; }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Running statistics and other state, updated in place by training-mode forward passes.</summary>
    public IReadOnlyList<Tensor> State { get; }

    /// <summary>A parameter or state tensor by name.</summary>
    public Tensor this[string name] =>
        Architecture.HasParameter(name) ? Parameters[Architecture.IndexOf(name)]
        : Architecture.HasState(name) ? State[Architecture.StateIndexOf(name)]
        : throw new ArgumentException($"{Architecture.Id} has no tensor '{name}'");

    /// <summary>The tensor named <paramref name="name"/>, or null when the architecture has none (e.g. a fixed BN gamma).</summary>
    public Tensor? Find(string name) =>
        Architecture.HasParameter(name) ? Parameters[Architecture.IndexOf(name)]
        : Architecture.HasState(name) ? State[Architecture.StateIndexOf(name)] : null;

    /// <summary>Other parameter values (e.g. decoded ones) with this network's state; the result owns nothing.</summary>
    public NetworkValues WithParameters(IReadOnlyList<Tensor> parameters) => new(Architecture, parameters, State, owns: false);

    /// <summary>Evaluation-mode logits.</summary>
    public Tensor Logits(Tensor input) => Architecture.Forward(input, this, training: false);

    /// <summary>Detached copies on <paramref name="device"/> (the CPU by default), owned by the result.</summary>
    public NetworkValues Copy(Device? device = null)
    {
        using var no = no_grad();
        Tensor Clone(Tensor t) { var c = t.detach().to(device ?? CPU).clone(); c.DetachFromDisposeScope(); return c; }
        return new NetworkValues(Architecture, Parameters.Select(Clone).ToList(), State.Select(Clone).ToList());
    }

    /// <summary>The float32 values of parameter <paramref name="index"/>, row-major.</summary>
    public float[] ParameterFloats(int index) => Floats(Parameters[index]);

    /// <summary>The float32 values of state tensor <paramref name="index"/>, row-major.</summary>
    public float[] StateFloats(int index) => Floats(State[index]);

    static float[] Floats(Tensor t)
    {
        using var cpu = t.detach().to(float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>True when every parameter and state tensor equals <paramref name="other"/>'s bit for bit.</summary>
    public bool BitwiseEquals(NetworkValues other, out string? firstDifference)
    {
        firstDifference = null;
        if (other.Architecture.Id != Architecture.Id || other.Parameters.Count != Parameters.Count || other.State.Count != State.Count)
        { firstDifference = "architecture"; return false; }
        for (int i = 0; i < Parameters.Count; i++)
            if (!ParameterFloats(i).AsSpan().SequenceEqual(other.ParameterFloats(i))) { firstDifference = Architecture.Parameters[i].Name; return false; }
        for (int i = 0; i < State.Count; i++)
            if (!StateFloats(i).AsSpan().SequenceEqual(other.StateFloats(i))) { firstDifference = Architecture.State[i].Name; return false; }
        return true;
    }

    public void Dispose()
    {
        if (!owns) return;
        foreach (var t in Parameters) t.Dispose();
        foreach (var t in State) t.Dispose();
    }
}
