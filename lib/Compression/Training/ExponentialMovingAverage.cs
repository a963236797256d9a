// Exponential moving average of trained variables (the paper evaluates and compresses the MNIST models with
// averaged weights; rounding happens after the averages are restored). Like TensorFlow's
// ExponentialMovingAverage with num_updates, the decay is min(decay, (1 + n) / (10 + n)) so early averages
// are not dominated by the initial values.
using static TorchSharp.torch;

namespace Compression.Training;

public sealed class ExponentialMovingAverage : IDisposable
{
    readonly IReadOnlyList<Tensor> variables;
    readonly List<Tensor> averages;

    public double Decay { get; }
    public long Updates { get; set; }
    public IReadOnlyList<Tensor> Averages => averages;

    public ExponentialMovingAverage(IReadOnlyList<Tensor> variables, double decay)
    {
        this.variables = variables;
        Decay = decay;
        using (no_grad())
            averages = variables.Select(v => { var a = v.detach().clone(); a.DetachFromDisposeScope(); return a; }).ToList();
    }

    public void Update()
    {
        Updates++;
        double decay = Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));
        using var no = no_grad();
        for (int i = 0; i < averages.Count; i++) averages[i].lerp_(variables[i].detach(), 1 - decay);
    }

    /// <summary>Puts the averages into the variables until the result is disposed, then restores them.</summary>
    public IDisposable SwapIn()
    {
        List<Tensor> saved;
        using (no_grad())
        {
            saved = variables.Select(v => { var s = v.detach().clone(); s.DetachFromDisposeScope(); return s; }).ToList();
            for (int i = 0; i < averages.Count; i++) variables[i].detach().copy_(averages[i]);
        }
        return new Restore(variables, saved);
    }

    /// <summary>Replaces the variables by their averages for good (before compression).</summary>
    public void CopyToVariables()
    {
        using var no = no_grad();
        for (int i = 0; i < averages.Count; i++) variables[i].detach().copy_(averages[i]);
    }

    sealed class Restore(IReadOnlyList<Tensor> variables, List<Tensor> saved) : IDisposable
    {
        public void Dispose()
        {
            using (no_grad())
                for (int i = 0; i < saved.Count; i++) { variables[i].detach().copy_(saved[i]); saved[i].Dispose(); }
        }
    }

    public void Dispose()
    {
        foreach (var a in averages) a.Dispose();
    }
}
