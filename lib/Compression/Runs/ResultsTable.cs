// All finished runs under a folder (every summary.json below it) beside the papers' numbers: the table
// `make reproduce` prints at the end and the comparison notebook plots.
namespace Compression.Runs;

public sealed record ResultRow(string Experiment, string Method, string Model, string Budget, double Lambda, long Bytes,
    double Ratio, double TestError, double? PaperBytes, double? PaperError, string Directory);

public static class ResultsTable
{
    public static IReadOnlyList<ResultRow> Collect(string root)
    {
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateFiles(root, "summary.json", SearchOption.AllDirectories).Order()
            .Select(path =>
            {
                var dir = Path.GetDirectoryName(path)!;
                var s = RunSummary.Read(dir);
                var paper = PaperResults.For(PaperMethod(s.Method), s.Model);
                return new ResultRow(s.Experiment, s.Method, s.Model, s.Budget, s.Lambda, s.CompressedBytes, s.CompressionRatio,
                    s.TestError, paper?.Bytes, paper?.Error, dir);
            }).ToList();
    }

    /// <summary>The name PaperResults uses for a method named in summary.json: the registered method's display name.</summary>
    public static string PaperMethod(string method) => Methods.CompressionMethods.DisplayName(method);

    public static string ToText(IReadOnlyList<ResultRow> rows)
    {
        var lines = new List<string>
        {
            $"{"experiment",-34} {"budget",-6} {"bytes",9} {"KB",8} {"ratio",7} {"error",7} | {"paper KB",8} {"paper err",9}",
            new string('-', 98),
        };
        foreach (var r in rows)
            lines.Add($"{r.Experiment,-34} {r.Budget,-6} {r.Bytes,9:N0} {r.Bytes / 1000.0,8:F2} {r.Ratio,6:F0}x {100 * r.TestError,6:F2}% | " +
                      $"{(r.PaperBytes is double b ? (b / 1000).ToString("F2") : "-"),8} {(r.PaperError is double e ? (100 * e).ToString("F2") + "%" : "-"),9}");
        if (rows.Count == 0) lines.Add("(no finished runs)");
        return string.Join(Environment.NewLine, lines);
    }
}
