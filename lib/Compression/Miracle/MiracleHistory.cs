// What a MIRACLE run records for the notebooks: the training curve (cross-entropy, total KL in bits, mean beta),
// snapshots of every block's KL (bits) against its budget C_loc during the variational phase, and the coding
// progress (per coded block: its KL when coded, the chosen candidate's log weight log q/p in bits, the largest, the
// weights' effective sample size, and the test error now and then).
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compression.Miracle;

public sealed record TrainingRow(long Step, string Phase, double CrossEntropy, double KlBits, double MeanLogBeta, double TestError);

public sealed record KlSnapshot(long Step, double[] BlockKlBits);

public sealed record CodedBlock(int Order, int Block, int Size, ulong Index, double KlBits, double LogWeightBits, double MaxLogWeightBits,
    double EffectiveSamples, double TestError);

public sealed class MiracleHistory
{
    public List<TrainingRow> Rows { get; } = [];
    public List<KlSnapshot> Snapshots { get; } = [];
    public List<CodedBlock> Coding { get; } = [];
    public double BudgetBits { get; set; }

    public string TrainingCsv()
    {
        var s = new StringBuilder("step,phase,cross_entropy,kl_bits,mean_log_beta,test_error\n");
        foreach (var r in Rows) s.AppendLine(FormattableString.Invariant($"{r.Step},{r.Phase},{r.CrossEntropy:R},{r.KlBits:R},{r.MeanLogBeta:R},{r.TestError:R}"));
        return s.ToString();
    }

    public string CodingCsv()
    {
        var s = new StringBuilder("order,block,size,index,kl_bits,log_weight_bits,max_log_weight_bits,effective_samples,test_error\n");
        foreach (var c in Coding)
            s.AppendLine(FormattableString.Invariant($"{c.Order},{c.Block},{c.Size},{c.Index},{c.KlBits:R},{c.LogWeightBits:R},{c.MaxLogWeightBits:R},{c.EffectiveSamples:R},{c.TestError:R}"));
        return s.ToString();
    }

    public string SnapshotsJson() => JsonSerializer.Serialize(new { budget_bits = BudgetBits, snapshots = Snapshots.Select(s => new { step = s.Step, block_kl_bits = s.BlockKlBits }) },
        new JsonSerializerOptions { WriteIndented = false }) + "\n";

    public static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
