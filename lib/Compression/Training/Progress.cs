// Progress of long work: a line every few seconds with step, rate (and examples per second when a step's batch size
// is given), time left and the latest metrics.
using System.Diagnostics;

namespace Compression.Training;

public sealed class Progress(long totalSteps, TextWriter? output = null, double everySeconds = 10, long examplesPerStep = 0)
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    double lastReport = double.NegativeInfinity;
    long firstStep = -1;

    public TextWriter Output { get; } = output ?? Console.Out;

    /// <summary>Prints a line when enough time has passed, or at the last step, or when forced.</summary>
    public void Report(long step, IReadOnlyDictionary<string, double> metrics, bool force = false)
    {
        if (firstStep < 0) firstStep = step;
        double now = clock.Elapsed.TotalSeconds;
        bool last = step >= totalSteps;
        if (!force && !last && now - lastReport < everySeconds) return;
        lastReport = now;
        double rate = (step - firstStep) / Math.Max(now, 1e-9);
        string eta = rate > 0 ? TimeSpan.FromSeconds((totalSteps - step) / rate).ToString(@"hh\:mm\:ss") : "--:--:--";
        var values = string.Join("  ", metrics.Select(m => $"{m.Key} {Format(m.Value)}"));
        string examples = examplesPerStep > 0 ? $"  {rate * examplesPerStep,7:F0} examples/s" : "";
        Output.WriteLine($"step {step,7}/{totalSteps} ({100.0 * step / Math.Max(1, totalSteps),5:F1}%)  {rate,7:F1} steps/s{examples}  eta {eta}  {values}");
        Output.Flush();
    }

    static string Format(double v) => Math.Abs(v) >= 1000 || v == Math.Floor(v) ? v.ToString("F0") : v.ToString("G4");
}
