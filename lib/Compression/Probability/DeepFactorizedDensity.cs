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

public sealed class DeepFactorizedDensity : IDensityModel, IDisposable
{
    /// <summary>Likelihoods are bounded below by this value during training (tfc's likelihood_bound).</summary>
    public const double LikelihoodBound = 1e-9;

    readonly List<(string Name, long Offset, long[] Shape)> layout = [];
    readonly int layers;

    /// <summary>Number of independent scalar densities (the l of the paper).</summary>
    public int Columns { get; }
    public IReadOnlyList<int> Filters { get; }
    public double InitScale { get; }

    /// <summary>
    /// All variables in one flat vector (matrices H_k, biases b_k, factors a_k per layer, in that order), so that
    /// an optimizer or an average updates one tensor per density rather than a dozen tiny ones.
    /// </summary>
    public Parameter Variables { get; }

    /// <summary>The trainable variables: <see cref="Variables"/>.</summary>
    public IReadOnlyList<Parameter> Parameters => [Variables];

    /// <summary>Where each named variable (H0, b0, a0, H1, ...) lies in <see cref="Variables"/>.</summary>
    public IReadOnlyList<(string Name, long Offset, long[] Shape)> Layout => layout;

    public DeepFactorizedDensity(int columns, IReadOnlyList<int>? filters = null, double initScale = 10, Device? device = null)
        : this(columns, filters ?? [3, 3, 3], initScale, values: null, device) { }

    DeepFactorizedDensity(int columns, IReadOnlyList<int> filters, double initScale, Tensor? values, Device? device)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns));
        Columns = columns;
        Filters = filters.ToArray();
        InitScale = initScale;
        int[] widths = [1, .. Filters, 1];
        layers = widths.Length - 1;
        double scale = Math.Pow(initScale, 1.0 / layers);
        var initial = new List<Tensor>();
        long offset = 0;
        void Add(string name, long[] shape, Func<Tensor> make)
        {
            layout.Add((name, offset, shape));
            offset += shape.Aggregate(1L, (x, y) => x * y);
            initial.Add(make().flatten());
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            for (int k = 0; k < layers; k++)
            {
                int fo = widths[k + 1], fi = widths[k];
                double init = Math.Log(Math.Exp(1.0 / scale / fo) - 1); // log(expm1(.)): softplus(init) = 1 / scale / fo
                Add($"H{k}", [columns, fo, fi], () => full([columns, fo, fi], init, device: device));
                Add($"b{k}", [columns, fo, 1], () => rand([columns, fo, 1], device: device) - 0.5);
                if (k < layers - 1) Add($"a{k}", [columns, fo, 1], () => zeros([columns, fo, 1], device: device));
            }
            var flat = values is null ? cat(initial, 0) : values.detach().clone();
            if (flat.numel() != offset) throw new ArgumentException($"expected {offset} density variables, got {flat.numel()}");
            Variables = new Parameter(flat);
            Variables.DetachFromDisposeScope();
        }
    }

    Tensor View(int index)
    {
        var (_, offset, shape) = layout[index];
        return Variables.narrow(0, offset, shape.Aggregate(1L, (x, y) => x * y)).view(shape);
    }

    /// <summary>Logits of the cumulative c(x) for inputs shaped (Columns, 1, n); same shape out.</summary>
    public Tensor LogitsCumulative(Tensor x)
    {
        int index = 0;
        for (int k = 0; k < layers; k++)
        {
            var matrix = View(index++);
            var bias = View(index++);
            x = matmul(F.softplus(matrix), x) + bias;
            if (k < layers - 1) x = x + tanh(View(index++)) * tanh(x);
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
        var copy = new DeepFactorizedDensity(Columns, Filters, InitScale, Variables.detach().to(float64).cpu(), CPU);
        copy.Variables.requires_grad_(false);
        return copy;
    }

    /// <summary>The PMF of a column over [min, max] (from a float64 copy; see <see cref="PmfTabulation"/>).</summary>
    public ColumnPmf Tabulate(int column, int min, int max) => PmfTabulation.Tabulate(this, column, min, max);

    public void Dispose() => Variables.Dispose();
}
