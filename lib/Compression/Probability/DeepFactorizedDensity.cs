// The non-parametric factorized density of Ballé et al. 2018 ("entropy bottleneck"): one independent
// scalar density per column, whose cumulative is a small monotone network
//     x <- softplus(H_k) x + b_k,   x <- x + tanh(a_k) tanh(x)   (all but the last layer),
// with logits of the CDF as output. Filters (3, 3, 3), init_scale 10, as in the EPR-era tensorflow_compression.
// The density of a latent plus U(-1/2, 1/2) noise is the CDF's difference across a unit interval:
//     q~(y) = sigmoid(c(y + 1/2)) - sigmoid(c(y - 1/2)),
// evaluated with the sign trick so that tail probabilities keep their float32 precision.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Probability;

public sealed class DeepFactorizedDensity : IDisposable
{
    /// <summary>Likelihoods are bounded below by this value during training (tfc's likelihood_bound).</summary>
    public const double LikelihoodBound = 1e-9;

    readonly List<Parameter> matrices = [];
    readonly List<Parameter> biases = [];
    readonly List<Parameter> factors = [];

    /// <summary>Number of independent scalar densities (the l of the paper).</summary>
    public int Columns { get; }
    public IReadOnlyList<int> Filters { get; }
    public double InitScale { get; }

    /// <summary>All trainable variables, in a fixed order (matrices, biases, factors per layer).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public DeepFactorizedDensity(int columns, IReadOnlyList<int>? filters = null, double initScale = 10, Device? device = null)
        : this(columns, filters ?? [3, 3, 3], initScale, values: null, device) { }

    DeepFactorizedDensity(int columns, IReadOnlyList<int> filters, double initScale, IReadOnlyList<Tensor>? values, Device? device)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns));
        Columns = columns;
        Filters = filters.ToArray();
        InitScale = initScale;
        int[] widths = [1, .. Filters, 1];
        double scale = Math.Pow(initScale, 1.0 / (widths.Length - 1));
        var parameters = new List<Parameter>();
        int next = 0;
        Parameter Make(Func<Tensor> initial)
        {
            var p = new Parameter(values != null ? values[next].detach().clone() : initial());
            p.DetachFromDisposeScope();
            parameters.Add(p);
            next++;
            return p;
        }
        using (no_grad())
        {
            for (int k = 0; k < widths.Length - 1; k++)
            {
                int fo = widths[k + 1], fi = widths[k];
                double init = Math.Log(Math.Exp(1.0 / scale / fo) - 1); // log(expm1(.)): softplus(init) = 1 / scale / fo
                matrices.Add(Make(() => full([columns, fo, fi], init, device: device)));
                biases.Add(Make(() => rand([columns, fo, 1], device: device) - 0.5));
                if (k < widths.Length - 2) factors.Add(Make(() => zeros([columns, fo, 1], device: device)));
            }
        }
        Parameters = parameters;
    }

    /// <summary>Logits of the cumulative c(x) for inputs shaped (Columns, 1, n); same shape out.</summary>
    public Tensor LogitsCumulative(Tensor x)
    {
        for (int k = 0; k < matrices.Count; k++)
        {
            x = matmul(F.softplus(matrices[k]), x) + biases[k];
            if (k < factors.Count) x = x + tanh(factors[k]) * tanh(x);
        }
        return x;
    }

    /// <summary>
    /// q~(y) for values shaped (n, Columns), column i under density i, bounded below by
    /// <see cref="LikelihoodBound"/> when <paramref name="bound"/> (gradient passes through the bound).
    /// </summary>
    public Tensor Likelihood(Tensor y, bool bound = true)
    {
        var x = y.t().unsqueeze(1); // (Columns, 1, n)
        var lower = LogitsCumulative(x - 0.5);
        var upper = LogitsCumulative(x + 0.5);
        var p = SignTrickDifference(lower, upper).squeeze(1).t();
        return bound ? LowerBound(p, LikelihoodBound) : p;
    }

    /// <summary>sigmoid(upper) - sigmoid(lower), computed on the side of the distribution where it is accurate.</summary>
    public static Tensor SignTrickDifference(Tensor lower, Tensor upper)
    {
        var sign = (lower + upper).sign().neg().detach();
        return (sigmoid(sign * upper) - sigmoid(sign * lower)).abs();
    }

    /// <summary>max(x, bound) forward; the gradient passes unchanged (it always points towards larger x for a rate).</summary>
    public static Tensor LowerBound(Tensor x, double bound) => x + (x.clamp_min(bound) - x).detach();

    /// <summary>A detached copy of the variables in float64 on the CPU, for tabulating probabilities precisely.</summary>
    public DeepFactorizedDensity ToDoubleCpu()
    {
        using var scope = NewDisposeScope();
        var values = Parameters.Select(p => p.detach().to(float64).cpu()).ToList();
        var copy = new DeepFactorizedDensity(Columns, Filters, InitScale, values, CPU);
        foreach (var p in copy.Parameters) p.requires_grad_(false);
        return copy;
    }

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }
}
