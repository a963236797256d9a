// MIRACLE's per-block KL penalty (Havasi et al. 2019, section 3.2 and Algorithm 2): every block b has its own
// coefficient beta_b in the objective
//     E_q[log p(D | w)] - sum over uncoded blocks b of beta_b KL(q(w_b) || p(w_b)),
// starting at beta_b = 1e-8 and after every step
//     beta_b <- beta_b (1 + eps)   if KL_b > C_loc (the block's budget, in nats),
//     beta_b <- beta_b / (1 + eps) otherwise,
// so each block's KL is pulled to its budget. The paper's eps is 5e-5; the official code uses 1e-4 for LeNet, raised
// to 5e-4 while coding. The factors are tensors made once (no .NET scalars beside tensors in the loop).
using static TorchSharp.torch;

namespace Compression.Miracle;

public sealed class BlockPenalties : IDisposable
{
    Tensor up, down, budget;

    public BlockPenalties(int blocks, double initialBeta, double budgetNats, double epsilon, Device? device = null)
    {
        Beta = full([blocks], initialBeta, dtype: float64, device: device);
        budget = tensor(budgetNats, dtype: float64, device: device);
        up = tensor(1 + epsilon, dtype: float64, device: device);
        down = tensor(1 / (1 + epsilon), dtype: float64, device: device);
        Epsilon = epsilon;
    }

    /// <summary>beta_b per block (float64).</summary>
    public Tensor Beta { get; }

    public double Epsilon { get; private set; }

    /// <summary>Changes eps (the code raises it while coding).</summary>
    public void SetEpsilon(double epsilon)
    {
        if (epsilon == Epsilon) return;
        var device = Beta.device;
        up.Dispose(); down.Dispose();
        up = tensor(1 + epsilon, dtype: float64, device: device);
        down = tensor(1 / (1 + epsilon), dtype: float64, device: device);
        Epsilon = epsilon;
    }

    /// <summary>One update from the blocks' KL (nats, [B]); blocks where <paramref name="active"/> is false keep their beta.</summary>
    public void Update(Tensor klPerBlock, Tensor? active = null)
    {
        using var scope = NewDisposeScope();
        using var no = no_grad();
        var factor = where(klPerBlock.detach().to(float64).gt(budget), up, down);
        if (active is not null) factor = where(active, factor, ones_like(factor));
        Beta.mul_(factor);
    }

    public void Dispose()
    {
        Beta.Dispose();
        budget.Dispose();
        up.Dispose();
        down.Dispose();
    }
}
