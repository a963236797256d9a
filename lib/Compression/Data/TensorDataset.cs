// A data set held as four tensors (training inputs and labels, test inputs and labels), e.g. MNIST or a user's
// own arrays: ImageData.FromTensors. Optional augmentation maps a batch and a seed to an augmented batch.
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class TensorDataset : IDataset
{
    readonly Func<Tensor, long, Tensor>? augmentation;

    /// <summary>
    /// Takes ownership of the tensors. Labels are int64 class indices in [0, <paramref name="classes"/>); inputs have the
    /// example count as their first dimension. <paramref name="augmentation"/> (optional) maps a training batch and a seed
    /// to an augmented batch of the same shape, deterministically in the seed.
    /// </summary>
    public TensorDataset(string name, Tensor trainInputs, Tensor trainLabels, Tensor testInputs, Tensor testLabels, int classes,
        Func<Tensor, long, Tensor>? augmentation = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (trainInputs.shape[0] != trainLabels.shape[0]) throw new ArgumentException($"{name}: {trainInputs.shape[0]} training inputs but {trainLabels.shape[0]} labels");
        if (testInputs.shape[0] != testLabels.shape[0]) throw new ArgumentException($"{name}: {testInputs.shape[0]} test inputs but {testLabels.shape[0]} labels");
        if (trainLabels.dtype != int64 || testLabels.dtype != int64) throw new ArgumentException($"{name}: labels must be int64 class indices");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"{name}: {classes} classes");
        Name = name;
        TrainInputs = trainInputs.DetachFromDisposeScope();
        TrainLabels = trainLabels.DetachFromDisposeScope();
        TestInputs = testInputs.DetachFromDisposeScope();
        TestLabels = testLabels.DetachFromDisposeScope();
        Classes = classes;
        this.augmentation = augmentation;
    }

    public string Name { get; }
    public int Classes { get; }
    public Tensor TrainInputs { get; }
    public Tensor TrainLabels { get; }
    public Tensor TestInputs { get; }
    public Tensor TestLabels { get; }
    public int TrainCount => (int)TrainLabels.shape[0];
    public int TestCount => (int)TestLabels.shape[0];

    public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null)
    {
        using var index = tensor(indices, device: TrainInputs.device);
        var x = TrainInputs.index_select(0, index);
        var y = TrainLabels.index_select(0, index);
        if (augmentation != null && augmentationSeed is long seed) x = augmentation(x, seed);
        return (x.to(device), y.to(device));
    }

    public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device)
    {
        if (start < 0 || count < 0 || start + count > TestCount) throw new ArgumentOutOfRangeException(nameof(count), $"test examples {start}..{start + count - 1} of {TestCount}");
        return (TestInputs.narrow(0, start, count).to(device), TestLabels.narrow(0, start, count).to(device));
    }

    /// <summary>The same data on another device (copies; this object keeps its own).</summary>
    public TensorDataset To(Device device) =>
        new(Name, TrainInputs.to(device), TrainLabels.to(device), TestInputs.to(device), TestLabels.to(device), Classes, augmentation);

    public void Dispose()
    {
        TrainInputs.Dispose();
        TrainLabels.Dispose();
        TestInputs.Dispose();
        TestLabels.Dispose();
    }

    public override string ToString() => $"{Name}: {TrainCount:N0} training and {TestCount:N0} test examples, {Classes} classes";
}
