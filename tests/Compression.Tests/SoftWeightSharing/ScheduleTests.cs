// The retraining schedules: tau's warm-up and end ramp, the learning-rate decay.
using Compression.SoftWeightSharing;

namespace Compression.Tests.SoftWeightSharing;

public class ScheduleTests
{
    [Fact]
    public void TauIsConstantWithoutWarmupOrRamp()
    {
        var s = new RetrainSettings { Steps = 100, Tau = 0.02 };
        Assert.All(new long[] { 0, 50, 99 }, step => Assert.Equal(0.02, Retrainer.TauAt(s, step)));
    }

    [Fact]
    public void TauRampsGeometricallyOverTheLastFraction()
    {
        var s = new RetrainSettings { Steps = 1000, Tau = 0.01, TauRampFraction = 0.2, TauFinalFactor = 100 };
        Assert.Equal(0.01, Retrainer.TauAt(s, 0));
        Assert.Equal(0.01, Retrainer.TauAt(s, 799), 12);
        Assert.Equal(0.01 * 10, Retrainer.TauAt(s, 899), 9);   // half way through the ramp: sqrt(100)
        Assert.Equal(0.01 * 100, Retrainer.TauAt(s, 999), 9);  // the last step uses the full factor
        for (long step = 800; step < 1000; step++) Assert.True(Retrainer.TauAt(s, step) > Retrainer.TauAt(s, step - 1));
    }

    [Fact]
    public void WarmupAndRampCompose()
    {
        var s = new RetrainSettings { Steps = 100, Tau = 1, TauWarmupSteps = 10, TauRampFraction = 0.5, TauFinalFactor = 4 };
        Assert.Equal(0.1, Retrainer.TauAt(s, 0), 12);
        Assert.Equal(1, Retrainer.TauAt(s, 9), 12);
        Assert.Equal(4, Retrainer.TauAt(s, 99), 12);
    }

    [Fact]
    public void LearningRateFallsLinearlyToZeroOverTheDecayFraction()
    {
        var s = new RetrainSettings { Steps = 100, DecayFraction = 0.5 };
        Assert.Equal(1, Retrainer.RateFactor(s, 0));
        Assert.Equal(1, Retrainer.RateFactor(s, 50));
        Assert.Equal(0.5, Retrainer.RateFactor(s, 75), 12);
        Assert.Equal(0.02, Retrainer.RateFactor(s, 99), 12);
        Assert.Equal(1, Retrainer.RateFactor(new RetrainSettings { Steps = 100 }, 99));
    }
}
