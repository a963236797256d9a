// A non-finite loss or gradient skips the optimizer step instead of poisoning the weights and the Adam
// moments (a LeNet5-Caffe pretraining once produced a NaN loss that a replay of the same steps from the
// previous checkpoint did not reproduce). Many in a row mean the run itself diverged: that is an error.
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

static class StepGuard
{
    const int MaxConsecutive = 20;

    [ThreadStatic] static int consecutive;

    /// <summary>True when the loss and every gradient are finite; otherwise logs, counts and returns false.</summary>
    public static bool Finite(double loss, IReadOnlyList<Tensor> parameters, TextWriter? log, long step)
    {
        bool finite = double.IsFinite(loss);
        if (finite)
        {
            using var _ = no_grad();
            foreach (var p in parameters)
            {
                if (p.grad is not { } g) continue;
                using var sum = g.sum();
                if (!float.IsFinite(sum.item<float>())) { finite = false; break; }
            }
        }
        if (finite) { consecutive = 0; return true; }
        consecutive++;
        log?.WriteLine($"step {step}: non-finite loss or gradient (loss {loss}); the step is skipped");
        if (consecutive >= MaxConsecutive)
            throw new InvalidOperationException($"{consecutive} consecutive non-finite steps up to step {step}: training diverged");
        return false;
    }
}
