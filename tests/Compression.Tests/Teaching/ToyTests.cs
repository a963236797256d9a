// The toy helpers of the introductory notebook: seeded, and coded with the real coder.
using Compression.Teaching;

namespace Compression.Tests.Teaching;

public class ToyTests
{
    [Fact]
    public void LaplaceDrawsHaveTheRequestedScaleAndRepeat()
    {
        var w = ToyWeights.Laplace(200_000, 0.05, 3);
        Assert.Equal(w, ToyWeights.Laplace(200_000, 0.05, 3));
        Assert.InRange(w.Average(), -0.001, 0.001);
        Assert.InRange(w.Average(Math.Abs), 0.049, 0.051); // E|w| = scale for a Laplace
    }

    [Fact]
    public void CodingCostsAboutTheSelfInformation()
    {
        var phi = ToyWeights.Quantize(ToyWeights.Laplace(100_000, 0.05, 1), 0.02);
        var cost = ToyCoding.Code(phi);
        Assert.InRange(8.0 * cost.BitstreamBytes, cost.TableSelfInformationBits, cost.TableSelfInformationBits * 1.005 + 16);
        Assert.InRange(cost.TableSelfInformationBits, cost.SelfInformationBits, cost.SelfInformationBits * 1.01);
        Assert.True(cost.TableBytes > 0);
    }
}
