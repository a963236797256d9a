// The fixed l x l matrices of the transform decoder for k x k convolution kernels (l = k*k). Columns are
// basis filters (kernel = M @ coefficients, coefficients = M^T @ kernel), rows are kernel positions r*k + c.
//   Identity:          scalar quantisation of the kernel itself (SQ).
//   Dft:               tensorflow_compression's irdft_matrix: the separable orthonormal inverse real DFT,
//                      1-D bases packed [DC, Re 1, Im 1, ...] as scipy.fftpack.rfft, non-DC (non-Nyquist)
//                      terms times sqrt(2), divided by sqrt(k) per axis; M = A (x) A, first column the DC filter.
//   RandomOrthogonal:  Gram-Schmidt of a seeded Gaussian matrix (SplitMix64 + Box-Muller, computed in float64).
using Compression.Grouping;
using Compression.Randomness;

namespace Compression.Epr;


public static class TransformMatrices
{
    /// <summary>The l x l matrix of a kind in float64; for Dft, l must be k*k.</summary>
    public static double[,] Build(TransformKind kind, int columns, int seed) => kind switch
    {
        TransformKind.Identity => Identity(columns),
        TransformKind.Dft => Irdft(KernelSide(columns)),
        TransformKind.RandomOrthogonal => RandomOrthogonal(columns, seed),
        _ => throw new ArgumentException($"unknown transform {kind}"),
    };

    public static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    /// <summary>The orthonormal 1-D inverse real DFT basis of size k: A[n, j], n spatial, j packed coefficient.</summary>
    public static double[,] RealDftBasis(int k)
    {
        var a = new double[k, k];
        for (int n = 0; n < k; n++)
        {
            a[n, 0] = 1 / Math.Sqrt(k);
            for (int m = 1; 2 * m - 1 < k; m++)
            {
                double angle = 2 * Math.PI * m * n / k;
                bool nyquist = 2 * m == k;
                a[n, 2 * m - 1] = (nyquist ? 1 : Math.Sqrt(2)) * Math.Cos(angle) / Math.Sqrt(k);
                if (2 * m < k) a[n, 2 * m] = -Math.Sqrt(2) * Math.Sin(angle) / Math.Sqrt(k);
            }
        }
        return a;
    }

    /// <summary>irdft_matrix((k, k)): M[(r, c), (kr, kc)] = A[r, kr] A[c, kc].</summary>
    public static double[,] Irdft(int k)
    {
        var a = RealDftBasis(k);
        int n = k * k;
        var m = new double[n, n];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
                for (int kr = 0; kr < k; kr++)
                    for (int kc = 0; kc < k; kc++)
                        m[r * k + c, kr * k + kc] = a[r, kr] * a[c, kc];
        return m;
    }

    /// <summary>A seeded random orthogonal matrix: Gram-Schmidt on the columns of a standard normal matrix.</summary>
    public static double[,] RandomOrthogonal(int n, int seed)
    {
        var random = new SplitMix64((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = random.NextGaussian();
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += m[i, p] * m[i, j];
                for (int i = 0; i < n; i++) m[i, j] -= dot * m[i, p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += m[i, j] * m[i, j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) m[i, j] /= norm;
        }
        return m;
    }

    static int KernelSide(int columns)
    {
        int k = (int)Math.Round(Math.Sqrt(columns));
        if (k * k != columns) throw new ArgumentException($"the DFT transform needs l = k*k columns, got {columns}");
        return k;
    }
}
