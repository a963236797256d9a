// Toy "weights" for the introductory notebook: Laplace-distributed scalars (how trained weights look)
// and smooth 3x3 kernels (neighbouring taps alike, as in trained convolutions). Seeded and independent
// of libtorch, so the notebook's numbers never change.
namespace Compression.Notebooks.Teaching;

public static class ToyWeights
{
    /// <summary>n draws from a zero-mean Laplace distribution with the given scale.</summary>
    public static double[] Laplace(int n, double scale, int seed)
    {
        var random = new Random(seed);
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble() - 0.5;
            w[i] = -scale * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
        }
        return w;
    }

    /// <summary>
    /// n smooth k x k kernels (row-major rows of length k*k): a random level plus a random tilt plus a
    /// little independent noise, so the taps of one kernel are strongly correlated.
    /// </summary>
    public static double[][] SmoothKernels(int n, int k, double scale, double noise, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var kernels = new double[n][];
        for (int i = 0; i < n; i++)
        {
            double level = scale * Gaussian(), tiltRow = 0.3 * scale * Gaussian(), tiltColumn = 0.3 * scale * Gaussian();
            var kernel = new double[k * k];
            for (int r = 0; r < k; r++)
                for (int c = 0; c < k; c++)
                    kernel[r * k + c] = level + tiltRow * (r - (k - 1) / 2.0) + tiltColumn * (c - (k - 1) / 2.0) + noise * Gaussian();
            kernels[i] = kernel;
        }
        return kernels;
    }

    /// <summary>phi = round(w / step): the integer latents a uniform quantizer stores.</summary>
    public static int[] Quantize(IEnumerable<double> weights, double step) =>
        weights.Select(w => (int)Math.Round(w / step, MidpointRounding.AwayFromZero)).ToArray();

    /// <summary>Writes each kernel in an orthonormal basis: coefficients = M^T kernel (M's columns are basis vectors).</summary>
    public static double[][] InBasis(double[][] kernels, double[,] basis)
    {
        int n = basis.GetLength(0);
        return kernels.Select(kernel =>
        {
            var coefficients = new double[n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                    coefficients[j] += basis[i, j] * kernel[i];
            return coefficients;
        }).ToArray();
    }
}
