// Protection against non-finite values during training. On this package's 2-core build machine,
// LeNet5-Caffe training produced a NaN gradient or NaN activations every few hundred steps, at random
// steps: the cause was libtorch's oneDNN AVX2/AVX-512 convolution, which is wrong there (see
// ConvolutionCheck; ONEDNN_MAX_CPU_ISA=SSE41 fixes it). This guard stays as a safety net:
//   - a step whose loss or gradients are not finite is skipped (no optimizer update);
//   - if the weights themselves become non-finite after an update, the tensors and the optimizers'
//     states go back to an in-memory snapshot (taken every SnapshotEvery steps) and training resumes
//     there, replaying the same minibatches;
//   - many in a row mean the run itself diverged: that is an error.
// Both counts are reported, so a run's summary says whether this happened.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.SoftWeightSharing;

sealed class TrainingGuard(IReadOnlyList<Tensor> tensors, IReadOnlyList<OptimizerHelper> optimizers, TextWriter? log, long snapshotEvery = 100)
{
    const int MaxConsecutive = 20;
    readonly List<Tensor> saved = [];
    byte[] states = [];
    long savedStep = -1;
    int consecutive;

    public int SkippedSteps { get; private set; }
    public int Rollbacks { get; private set; }

    /// <summary>Call before each step: takes the snapshot when due.</summary>
    public void BeforeStep(long step)
    {
        if (step % snapshotEvery != 0 && savedStep >= 0) return;
        if (savedStep == step) return;
        foreach (var t in saved) t.Dispose();
        saved.Clear();
        using (no_grad())
            foreach (var t in tensors) saved.Add(t.detach().clone().DetachFromDisposeScope());
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
            foreach (var o in optimizers) o.save_state_dict(w);
        states = memory.ToArray();
        savedStep = step;
    }

    /// <summary>True when the loss and every gradient are finite; otherwise logs, counts, and the step must be skipped.</summary>
    public bool GradientsFinite(double loss, long step)
    {
        bool finite = double.IsFinite(loss) && AllFinite(tensors.Select(t => t.grad));
        if (finite) return true;
        SkippedSteps++;
        log?.WriteLine($"step {step}: non-finite loss or gradient (loss {loss}); the step is skipped");
        Count(step);
        return false;
    }

    /// <summary>
    /// Call after the optimizer step. Null when the tensors are finite; otherwise the tensors and optimizer
    /// states are restored and the result is the step to continue from.
    /// </summary>
    public long? AfterStep(long step)
    {
        if (AllFinite(tensors)) { consecutive = 0; return null; }
        return Restore(step, "non-finite weights after the update");
    }

    /// <summary>
    /// Runs the optimizers' steps; a native error inside them (TorchSharp 0.107 can lose a Scalar argument
    /// to the garbage collector during the native call, see GaussianMixturePrior's workspace note) restores
    /// the snapshot like non-finite weights do. Null when the step went through, else the step to continue from.
    /// </summary>
    public long? Step(long step)
    {
        try
        {
            foreach (var o in optimizers) o.step();
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            return Restore(step, $"native error in the optimizer step ({e.Message.Split('\n')[0]})");
        }
        return AfterStep(step);
    }

    long Restore(long step, string why)
    {
        Rollbacks++;
        log?.WriteLine($"step {step}: {why}; back to the snapshot of step {savedStep}");
        Count(step);
        using (no_grad())
            for (int i = 0; i < tensors.Count; i++) tensors[i].copy_(saved[i]);
        using var memory = new MemoryStream(states);
        using var r = new BinaryReader(memory);
        foreach (var o in optimizers) o.load_state_dict(r);
        return savedStep;
    }

    void Count(long step)
    {
        if (++consecutive >= MaxConsecutive)
            throw new InvalidOperationException($"{consecutive} consecutive non-finite steps up to step {step}: training diverged");
    }

    static bool AllFinite(IEnumerable<Tensor?> values)
    {
        using var _ = no_grad();
        foreach (var t in values)
        {
            if (t is null) continue;
            using var sum = t.sum();
            if (!float.IsFinite(sum.item<float>())) return false;
        }
        return true;
    }
}
