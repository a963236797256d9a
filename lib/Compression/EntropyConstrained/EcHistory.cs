// What entropy-constrained training records along the way, for the notebooks and history.csv: the temperature, the
// loss terms, the relaxed size S_T against the hard size (n * H of the histograms, what the coder approaches), how
// hard the soft assignments are, the fraction of weights at zero, and now and then the test error.
using System.Globalization;
using System.Text;

namespace Compression.EntropyConstrained;

/// <param name="Step">Steps done.</param>
/// <param name="Temperature">The relative temperature t (T_g = t * s_g^2) at the last step.</param>
/// <param name="Lambda">lambda at the last step (after its warm-up).</param>
/// <param name="CrossEntropy">Mean training cross-entropy since the previous record.</param>
/// <param name="RelaxedBits">S_T: sum over groups of n_g * H(P_g) at the last step, bits.</param>
/// <param name="HardBits">The same with the hard assignments' histograms (T = 0), bits.</param>
/// <param name="Hardness">Mean over all coded values of max_k a_ik (1 = hard).</param>
/// <param name="NonzeroFraction">Coded values not at the zero centre.</param>
/// <param name="TestError">Error of the hard network on the first test examples, when measured.</param>
public sealed record EcRecord(long Step, double Temperature, double Lambda, double CrossEntropy, double RelaxedBits, double HardBits,
    double Hardness, double NonzeroFraction, double? TestError);

public sealed class EcHistory
{
    public List<EcRecord> Records { get; } = [];

    public string ToCsv()
    {
        var s = new StringBuilder("step,temperature,lambda,cross_entropy,relaxed_bits,hard_bits,hardness,nonzero_fraction,test_error\n");
        foreach (var r in Records)
            s.Append(string.Join(",", new[] { r.Step.ToString(CultureInfo.InvariantCulture), F(r.Temperature), F(r.Lambda), F(r.CrossEntropy), F(r.RelaxedBits),
                F(r.HardBits), F(r.Hardness), F(r.NonzeroFraction), r.TestError is double e ? F(e) : "" })).Append('\n');
        return s.ToString();
    }

    public static EcHistory FromCsv(string csv)
    {
        var h = new EcHistory();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            h.Records.Add(new EcRecord(long.Parse(f[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6), D(7), f[8].Length > 0 ? D(8) : null));
        }
        return h;
    }

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
