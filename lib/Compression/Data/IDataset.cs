// A labelled classification data set, as the trainers see it: training examples addressed by index (so that
// minibatches are a seeded function of the step and a resumed run sees the same batches), with the data set's
// own augmentation drawn from a seed; test examples read in order. MNIST is one implementation (Mnist.Load);
// tensors already in memory are another (TensorDataset); CIFAR-10 and ImageNet readers are others.
using static TorchSharp.torch;

namespace Compression.Data;

public interface IDataset : IDisposable
{
    /// <summary>Short name stored in summaries, e.g. "mnist".</summary>
    string Name { get; }

    int TrainCount { get; }

    int TestCount { get; }

    /// <summary>Number of classes (logits per example).</summary>
    int Classes { get; }

    /// <summary>
    /// The training examples at <paramref name="indices"/> (inputs, int64 labels) on <paramref name="device"/>. With an
    /// augmentation seed, the data set's training augmentation (random crops, flips) is applied, drawn from that seed
    /// only; without one, the examples as they are (validation).
    /// </summary>
    (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null);

    /// <summary>Test examples start .. start + count - 1, unaugmented.</summary>
    (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device);
}
