// The two scripts an offline report embeds, compiled into the runner from environment/report-assets (installed from
// the npm registry with package-lock.json by the build): MathJax's self-contained TeX-to-SVG bundle and plotly.js at
// the version Plotly.NET 6.0.0 writes its charts for.
namespace NotebookRunner.Report;

public static class ReportAssets
{
    public const string MathJaxVersion = "3.2.2";
    public const string PlotlyJsVersion = "2.28.0";

    static readonly Lazy<string> mathJax = new(() => Read("report/mathjax-tex-svg-full.js"));
    static readonly Lazy<string> plotlyJs = new(() => Read("report/plotly.min.js"));

    public static string MathJax => mathJax.Value;
    public static string PlotlyJs => plotlyJs.Value;

    static string Read(string name)
    {
        using var stream = typeof(ReportAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the runner was built without its report asset {name} (environment/report-assets: npm ci)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
