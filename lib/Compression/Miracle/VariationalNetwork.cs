// MIRACLE's variational distribution and encoding distribution (Havasi et al. 2019, section 3.1): over the N hashed
// variables v (biases included) a diagonal Gaussian q(v) = N(mu, diag(sigma^2)), sigma = exp(rho), and a zero-mean
// Gaussian p(v_i) = N(0, sigma_l(i)^2) with one learned log std per layer. The KL of a variable, in nats:
//     KL(q_i || p_i) = log(sigma_l / sigma_i) + (sigma_i^2 + mu_i^2) / (2 sigma_l^2) - 1/2,
// summed per block. Forward passes sample v = mu + sigma * eps (the reparameterisation trick), with coded blocks
// frozen at their candidates' values, and expand v through the hashing (w_j = s_j v_h(j)) into the architecture's
// parameters; Architecture.Forward does the rest.
using Compression.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Miracle;

public sealed class VariationalNetwork : IDisposable
{
    readonly Tensor layerOfVariable, blockOfVariable, half, one;
    readonly (Tensor Index, Tensor Sign)?[] maps;
    readonly List<Tensor> owned = [];

    public VariationalNetwork(HashingLayout hashing, BlockLayout blocks, NetworkValues start, MiracleOptions options, Device device)
    {
        Hashing = hashing;
        Blocks = blocks;
        Architecture = hashing.Architecture;
        int n = blocks.VariableCount;
        var initial = new float[n];
        for (int p = 0; p < Architecture.Parameters.Count; p++)
        {
            var values = start.ParameterFloats(p);
            int offset = (int)hashing.Offsets[p], m = (int)hashing.VariableCounts[p];
            if (!hashing.IsShared(p)) { values.CopyTo(initial, offset); continue; }
            // a shared parameter's m variables start at its first m values (drawn like any of its elements; the mean
            // of the elements sharing a variable would shrink a fresh start's independent draws toward zero)
            values.AsSpan(0, m).CopyTo(initial.AsSpan(offset, m));
        }
        using (no_grad())
        {
            Mu = new Parameter(tensor(initial, device: device));
            Rho = new Parameter(full([n], options.InitialLogSigma, dtype: float32, device: device));
            PriorLogStd = new Parameter(full([hashing.Layers.Length], options.InitialPriorLogStd, dtype: float32, device: device));
            Frozen = zeros([n], dtype: @bool, device: device);
            FrozenValues = zeros([n], dtype: float32, device: device);
            layerOfVariable = tensor(hashing.LayerOfVariable().Select(i => (long)i).ToArray(), device: device);
            blockOfVariable = tensor(blocks.BlockOfVariable().Select(i => (long)i).ToArray(), device: device);
            half = tensor(0.5f, device: device);
            one = tensor(1f, device: device);
            maps = new (Tensor, Tensor)?[Architecture.Parameters.Count];
            for (int p = 0; p < maps.Length; p++)
            {
                if (!hashing.IsShared(p)) continue;
                var (variable, sign) = hashing.Map(p);
                maps[p] = (tensor(variable.Select(i => (long)i).ToArray(), device: device), tensor(sign, device: device).reshape(Architecture.Parameters[p].Shape));
            }
            State = start.State.Select(s => s.detach().to(device).clone()).ToList();
        }
        foreach (var t in State) t.DetachFromDisposeScope();
        foreach (var t in new[] { Mu, Rho, PriorLogStd, Frozen, FrozenValues, layerOfVariable, blockOfVariable, half, one }) { t.DetachFromDisposeScope(); owned.Add(t); }
        foreach (var map in maps) if (map is var (i, s)) { i.DetachFromDisposeScope(); s.DetachFromDisposeScope(); owned.Add(i); owned.Add(s); }
    }

    public Architecture Architecture { get; }
    public HashingLayout Hashing { get; }
    public BlockLayout Blocks { get; }

    /// <summary>Posterior means (leaf).</summary>
    public Parameter Mu { get; }
    /// <summary>Posterior log stds (leaf).</summary>
    public Parameter Rho { get; }
    /// <summary>The encoding distribution's log std per layer (leaf).</summary>
    public Parameter PriorLogStd { get; }
    /// <summary>True for variables of coded blocks.</summary>
    public Tensor Frozen { get; }
    /// <summary>Coded variables' values (the chosen candidates).</summary>
    public Tensor FrozenValues { get; }
    public IReadOnlyList<Tensor> State { get; }

    /// <summary>A sample of v ~ q with coded variables at their values (differentiable in mu and rho).</summary>
    public Tensor Sample() => where(Frozen, FrozenValues, Mu + Rho.exp() * randn_like(Mu));

    /// <summary>The posterior means with coded variables at their values.</summary>
    public Tensor Mean() => where(Frozen, FrozenValues, Mu);

    /// <summary>The architecture's parameters from variables (hashing expanded).</summary>
    public NetworkValues Values(Tensor variables)
    {
        var parameters = new Tensor[Architecture.Parameters.Count];
        for (int p = 0; p < parameters.Length; p++)
        {
            var spec = Architecture.Parameters[p];
            parameters[p] = maps[p] is var (index, sign)
                ? variables.index_select(0, index).reshape(spec.Shape) * sign
                : variables.narrow(0, Hashing.Offsets[p], Hashing.VariableCounts[p]).reshape(spec.Shape);
        }
        return new NetworkValues(Architecture, parameters, State, owns: false);
    }

    /// <summary>KL(q || p) per variable, nats.</summary>
    public Tensor KlPerVariable()
    {
        var logSp = PriorLogStd.index_select(0, layerOfVariable);
        var ratio = (Rho - logSp).exp();            // sigma / sigma_l
        var scaledMu = Mu * (-logSp).exp();         // mu / sigma_l
        return logSp - Rho + (ratio * ratio + scaledMu * scaledMu - one) * half;
    }

    /// <summary>KL per block ([B], nats) from per-variable KL.</summary>
    public Tensor PerBlock(Tensor perVariable) => zeros([Blocks.BlockCount], dtype: perVariable.dtype, device: perVariable.device).scatter_add(0, blockOfVariable, perVariable);

    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
        foreach (var t in State) t.Dispose();
    }
}
