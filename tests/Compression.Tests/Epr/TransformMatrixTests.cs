// The fixed transforms of the kernel decoder: orthonormal, the DFT one exactly tensorflow_compression's
// irdft_matrix (values from REPRODUCTION.md), the random one repeatable from its seed.
using Compression.Epr;
using Compression.Grouping;

namespace Compression.Tests.Epr;

public class TransformMatrixTests
{
    static void AssertOrthonormal(double[,] m)
    {
        int n = m.GetLength(0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double rows = 0, cols = 0;
                for (int k = 0; k < n; k++) { rows += m[i, k] * m[j, k]; cols += m[k, i] * m[k, j]; }
                Assert.Equal(i == j ? 1.0 : 0.0, rows, 12);
                Assert.Equal(i == j ? 1.0 : 0.0, cols, 12);
            }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void DftMatrixIsOrthonormal(int k) => AssertOrthonormal(TransformMatrices.Irdft(k));

    [Fact]
    public void DftBasisOfThreeMatchesTheReference()
    {
        var a = TransformMatrices.RealDftBasis(3);
        double[,] expected = { { 0.577350, 0.816497, 0 }, { 0.577350, -0.408248, -0.707107 }, { 0.577350, -0.408248, 0.707107 } };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(expected[i, j], a[i, j], 5);
    }

    [Fact]
    public void DftMatrixOfThreeByThreeHasTheKnownFirstRowAndADcFirstColumn()
    {
        var m = TransformMatrices.Irdft(3);
        double[] firstRow = [1.0 / 3, 0.471405, 0, 0.471405, 2.0 / 3, 0, 0, 0, 0];
        for (int j = 0; j < 9; j++) Assert.Equal(firstRow[j], m[0, j], 5);
        for (int i = 0; i < 9; i++) Assert.Equal(1.0 / 3, m[i, 0], 12);
        // M = A (x) A
        var a = TransformMatrices.RealDftBasis(3);
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) for (int kr = 0; kr < 3; kr++) for (int kc = 0; kc < 3; kc++)
                        Assert.Equal(a[r, kr] * a[c, kc], m[r * 3 + c, kr * 3 + kc], 14);
    }

    [Fact]
    public void EvenSizeKeepsTheNyquistTermUnscaled()
    {
        var a = TransformMatrices.RealDftBasis(4); // columns DC, Re1, Im1, Nyquist
        for (int n = 0; n < 4; n++)
        {
            Assert.Equal(0.5, a[n, 0], 12);
            Assert.Equal((n % 2 == 0 ? 1 : -1) * 0.5, a[n, 3], 12);
        }
    }

    [Fact]
    public void RandomOrthogonalIsOrthonormalAndRepeatable()
    {
        var m = TransformMatrices.RandomOrthogonal(9, 42);
        AssertOrthonormal(m);
        Assert.Equal(m, TransformMatrices.RandomOrthogonal(9, 42));
        Assert.NotEqual(m, TransformMatrices.RandomOrthogonal(9, 43));
    }

    [Fact]
    public void IdentityIsIdentity() => AssertOrthonormal(TransformMatrices.Build(TransformKind.Identity, 9, 0));
}
