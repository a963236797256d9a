// Views of a data set: the first examples only, and a validation set held out of the training examples.
using Compression.Data;
using Compression.Tests.Data;
using static TorchSharp.torch;

namespace Compression.Tests.Data;

public class DatasetViewTests
{
    static long[] Range(int start, int count) => Enumerable.Range(start, count).Select(i => (long)i).ToArray();

    [Fact]
    public void SplitLastHoldsOutTheLastTrainingExamplesAndKeepsTheRest()
    {
        var all = DatasetView.Limit(TestData.Mnist, 100, 50);
        var (kept, held) = DatasetView.SplitLast(all, 10);
        Assert.Equal(90, kept.TrainCount);
        Assert.Equal(50, kept.TestCount); // the source's test set
        Assert.Equal(10, held.TestCount); // the held-out training examples
        var (allX, allY) = all.Train(Range(0, 100), CPU);
        var (heldX, heldY) = held.Test(0, 10, CPU);
        var (keptX, keptY) = kept.Train(Range(0, 90), CPU);
        Assert.Equal(allY.data<long>().ToArray(), keptY.data<long>().Concat(heldY.data<long>()).ToArray());
        Assert.Equal(allX[95].data<float>().ToArray(), heldX[5].data<float>().ToArray());
        Assert.Equal(allX[89].data<float>().ToArray(), keptX[89].data<float>().ToArray());
        Assert.Equal([10L, 1, 28, 28], heldX.shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => kept.Train([90], CPU)); // the held-out examples are not trainable
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetView.SplitLast(all, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetView.SplitLast(all, 100));
    }

    [Fact]
    public void LimitKeepsTheFirstExamples()
    {
        var small = DatasetView.Limit(TestData.Mnist, 7, 3);
        Assert.Equal((7, 3), (small.TrainCount, small.TestCount));
        Assert.Equal(TestData.Mnist.TestLabels.narrow(0, 0, 3).data<long>().ToArray(), small.Test(0, 3, CPU).Labels.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => small.Test(2, 2, CPU));
        Assert.Same(TestData.Mnist, DatasetView.Limit(TestData.Mnist, null, null));
    }

    [Fact]
    public void HoldOutLimitsFirstThenHoldsOutTheLastOfTheLimitedExamples()
    {
        var (training, validation) = DatasetView.HoldOut(TestData.Mnist, 100, 10);
        Assert.Equal(90, training.TrainCount);
        Assert.Equal(TestData.Mnist.TestCount, training.TestCount); // the test set is never cut by the hold-out
        Assert.NotNull(validation);
        Assert.Equal(10, validation!.TestCount);
        // the validation examples are training examples 90..99 of the source, not its last ten
        var (sourceX, sourceY) = TestData.Mnist.Train(Range(90, 10), CPU);
        var (heldX, heldY) = validation.Test(0, 10, CPU);
        Assert.Equal(sourceY.data<long>().ToArray(), heldY.data<long>().ToArray());
        Assert.Equal(sourceX.data<float>().ToArray(), heldX.data<float>().ToArray());

        var (whole, none) = DatasetView.HoldOut(TestData.Mnist, null, 0);
        Assert.Same(TestData.Mnist, whole);
        Assert.Null(none);
        Assert.Null(DatasetView.HoldOut(TestData.Mnist, 100, null).Validation);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetView.HoldOut(TestData.Mnist, 100, 100));
        Assert.Contains("nothing of the 100 training examples", refused.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetView.HoldOut(TestData.Mnist, 100, -1));
    }
}
