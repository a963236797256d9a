// Test error of a network given as a function from images to logits.
using TorchSharp;
using Compression.Data;
using static TorchSharp.torch;

namespace Compression.Training;

public static class Evaluation
{
    /// <summary>Fraction of misclassified examples, evaluated in batches without gradients.</summary>
    public static double Error(Func<Tensor, Tensor> logits, MnistTensors data, int batchSize = 1000)
    {
        long wrong = 0;
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, data.Count - start);
                var x = data.Images.narrow(0, start, n);
                var y = data.Labels.narrow(0, start, n);
                var predicted = logits(x).argmax(1);
                wrong += predicted.ne(y).sum().item<long>();
            }
        }
        return (double)wrong / data.Count;
    }
}
