// The training curve of an EPR run, one row per logging interval: cross-entropy and rate averaged over the
// interval, the loss, and (at evaluation steps) the test error of the rounded EMA model. Written as CSV
// for notebooks; kept in checkpoints so a resumed run continues the same curve.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compression.Epr;

/// <summary>TestError: the rounded EMA model (what gets compressed); LiveTestError: the rounded current variables.</summary>
public sealed record HistoryRow(long Step, double CrossEntropy, double RateBits, double Loss, double TestError, double LiveTestError);

public sealed class EprHistory
{
    public List<HistoryRow> Rows { get; init; } = [];

    public const string Header = "step,cross_entropy,rate_bits,loss,test_error,live_test_error";

    public string ToCsv()
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in Rows)
            sb.Append(string.Join(",", new[] { r.Step.ToString(CultureInfo.InvariantCulture), F(r.CrossEntropy), F(r.RateBits), F(r.Loss), F(r.TestError), F(r.LiveTestError) })).Append('\n');
        return sb.ToString();
    }

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    public static EprHistory FromCsv(string csv)
    {
        var rows = new List<HistoryRow>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var c = line.Split(',');
            double P(string s) => s.Length == 0 ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
            rows.Add(new HistoryRow(long.Parse(c[0], CultureInfo.InvariantCulture), P(c[1]), P(c[2]), P(c[3]), P(c[4]), P(c[5])));
        }
        return new EprHistory { Rows = rows };
    }

    public string ToJson() => JsonSerializer.Serialize(Rows.Select(r => new[] { r.Step, r.CrossEntropy, r.RateBits, r.Loss, double.IsNaN(r.TestError) ? -1 : r.TestError, double.IsNaN(r.LiveTestError) ? -1 : r.LiveTestError }));

    public static EprHistory FromJson(string json)
    {
        var rows = JsonSerializer.Deserialize<double[][]>(json) ?? [];
        return new EprHistory { Rows = rows.Select(r => new HistoryRow((long)r[0], r[1], r[2], r[3], r[4] < 0 ? double.NaN : r[4], r[5] < 0 ? double.NaN : r[5])).ToList() };
    }
}
