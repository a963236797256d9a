// Test error, in one place: the fraction of misclassified test examples of a network, evaluated in batches
// without gradients in evaluation mode. TestError is the number the package reports: every test example, on
// the CPU with one libtorch thread, so the same file gives the same error on any machine.
using Compression.Data;
using Compression.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Training;

public static class Evaluation
{
    /// <summary>Error of logits from a function, on the first <paramref name="limit"/> test examples (all by default).</summary>
    public static double Error(Func<Tensor, Tensor> logits, IDataset data, Device device, int? limit = null, int batchSize = 1000)
    {
        int count = Math.Min(limit ?? data.TestCount, data.TestCount);
        if (count < 1) throw new ArgumentException($"{data.Name} has no test examples to evaluate on");
        long wrong = 0;
        using (no_grad())
        {
            for (int start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, count - start);
                var (x, y) = data.Test(start, n, device);
                wrong += logits(x).argmax(1).ne(y).sum().item<long>();
            }
        }
        return (double)wrong / count;
    }

    /// <summary>Error of a network (evaluation mode) on the first <paramref name="limit"/> test examples, on its device.</summary>
    public static double Error(NetworkValues network, IDataset data, int? limit = null, int batchSize = 1000) =>
        Error(network.Logits, data, network.Parameters.Count > 0 ? network.Parameters[0].device : CPU, limit, batchSize);

    /// <summary>
    /// The error of a method's decoded network on the examples held out of its training set (see
    /// <see cref="DatasetView.HoldOut"/>), logged and recorded as validation_error and validation_examples: the
    /// figure to choose a method's knobs by, never the test error. Nothing happens without a validation set.
    /// </summary>
    public static void Validate(NetworkValues decoded, IDataset? validation, IDictionary<string, double> metrics, TextWriter log)
    {
        if (validation is null) return;
        double error = Error(decoded, validation);
        metrics["validation_error"] = error;
        metrics["validation_examples"] = validation.TestCount;
        log.WriteLine($"validation error {error:P2} ({validation.TestCount:N0} held-out training examples)");
    }

    /// <summary>
    /// The reported test error: every test example, on the CPU with one libtorch thread (restored afterwards), so the
    /// number depends only on the values and the data.
    /// </summary>
    public static double TestError(NetworkValues network, IDataset data)
    {
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            bool onCpu = network.Parameters.All(p => p.device_type == DeviceType.CPU) && network.State.All(s => s.device_type == DeviceType.CPU);
            if (onCpu) return Error(network, data);
            using var cpu = network.Copy(CPU);
            return Error(cpu, data);
        }
        finally { set_num_threads(threads); }
    }
}
