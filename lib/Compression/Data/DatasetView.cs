// Parts of a data set without copying it: the first examples only (smoke runs), or the training set split into
// what is trained on and a validation set held out of it (its "test" examples are the held-out training
// examples, unaugmented). A view never disposes its source.
using static TorchSharp.torch;

namespace Compression.Data;

public sealed class DatasetView : IDataset
{
    readonly IDataset source;
    readonly int trainOffset;
    readonly int testOffset;
    readonly bool testFromTrain;

    DatasetView(IDataset source, string name, int trainOffset, int trainCount, bool testFromTrain, int testOffset, int testCount)
    {
        this.source = source;
        Name = name;
        this.trainOffset = trainOffset;
        TrainCount = trainCount;
        this.testFromTrain = testFromTrain;
        this.testOffset = testOffset;
        TestCount = testCount;
    }

    public string Name { get; }
    public int TrainCount { get; }
    public int TestCount { get; }
    public int Classes => source.Classes;

    /// <summary>The first <paramref name="train"/> training and <paramref name="test"/> test examples (null: all).</summary>
    public static IDataset Limit(IDataset source, int? train, int? test)
    {
        if (train is null && test is null) return source;
        int trainCount = Math.Min(train ?? source.TrainCount, source.TrainCount), testCount = Math.Min(test ?? source.TestCount, source.TestCount);
        if (trainCount < 1 || testCount < 1) throw new ArgumentOutOfRangeException(nameof(train), "a view needs at least one training and one test example");
        return new DatasetView(source, source.Name, 0, trainCount, false, 0, testCount);
    }

    /// <summary>
    /// Holds the last <paramref name="count"/> training examples out as a validation set (as the common 55,000 / 5,000
    /// split of MNIST): Training trains on the rest and tests on the source's test set; Validation's test examples are
    /// the held-out ones.
    /// </summary>
    public static (IDataset Training, IDataset Validation) SplitLast(IDataset source, int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"a validation set needs at least one example, not {count:N0}");
        if (count >= source.TrainCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"a validation set of {count:N0} would leave nothing of the {source.TrainCount:N0} training examples to train on; hold out fewer");
        int rest = source.TrainCount - count;
        return (new DatasetView(source, source.Name, 0, rest, false, 0, source.TestCount),
                new DatasetView(source, source.Name + "-validation", rest, 0, true, rest, count));
    }

    /// <summary>
    /// What a method trains on and validates with: the first <paramref name="trainLimit"/> training examples (null: all),
    /// of which the last <paramref name="validationCount"/> are held out (null or 0: none, Validation is null).
    /// </summary>
    public static (IDataset Training, IDataset? Validation) HoldOut(IDataset source, int? trainLimit, int? validationCount)
    {
        var limited = Limit(source, trainLimit, null);
        return validationCount is int count and not 0 ? SplitLast(limited, count) : (limited, null);
    }

    public (Tensor Inputs, Tensor Labels) Train(long[] indices, Device device, long? augmentationSeed = null)
    {
        var shifted = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= TrainCount) throw new ArgumentOutOfRangeException(nameof(indices), $"training example {indices[i]} of {TrainCount}");
            shifted[i] = indices[i] + trainOffset;
        }
        return source.Train(shifted, device, augmentationSeed);
    }

    public (Tensor Inputs, Tensor Labels) Test(int start, int count, Device device)
    {
        if (start < 0 || count < 0 || start + count > TestCount) throw new ArgumentOutOfRangeException(nameof(count), $"test examples {start}..{start + count - 1} of {TestCount}");
        if (!testFromTrain) return source.Test(testOffset + start, count, device);
        var indices = new long[count];
        for (int i = 0; i < count; i++) indices[i] = testOffset + start + i;
        return source.Train(indices, device);
    }

    public void Dispose() { }
}
