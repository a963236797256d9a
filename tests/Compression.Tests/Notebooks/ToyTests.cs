// The toy helpers of the introductory notebook: seeded, and coded with the real coder.
using Compression.Notebooks.Teaching;

namespace Compression.Tests.Notebooks;

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

    [Fact]
    public void OrthonormalBasesKeepTheEnergyAndTheDftCompactsSmoothKernels()
    {
        var kernels = ToyWeights.SmoothKernels(500, 3, 0.05, 0.005, 2);
        var dft = Compression.Epr.TransformMatrices.Build(Compression.Grouping.TransformKind.Dft, 9, 0);
        var coefficients = ToyWeights.InBasis(kernels, dft);
        for (int i = 0; i < kernels.Length; i++)
            Assert.Equal(kernels[i].Sum(x => x * x), coefficients[i].Sum(x => x * x), 10);
        double dc = coefficients.Average(c => c[0] * c[0]);
        double rest = coefficients.Average(c => c.Skip(1).Sum(x => x * x));
        Assert.True(dc > 5 * rest, $"DC energy {dc} vs the other eight {rest}");
        var sq = ToyCoding.Code(ToyWeights.Quantize(kernels.SelectMany(k => k), 0.01), 9);
        var transformed = ToyCoding.Code(ToyWeights.Quantize(coefficients.SelectMany(k => k), 0.01), 9);
        Assert.True(transformed.BitstreamBytes < sq.BitstreamBytes);
    }
}
