// Training progress as one updating line instead of hundreds: a TextWriter to hand to the library's trainings
// (they write one progress line per report). Every line goes to a log file (where the library does not keep one
// itself); the notebook shows only the latest line, updated in place (LiveDisplay), at most a few times a second.
using System.Diagnostics;
using System.Text;

namespace Compression.Notebooks.Display;

public sealed class ProgressDisplay : TextWriter
{
    readonly StreamWriter? log;
    readonly Action<string> show;
    readonly Stopwatch sinceShown = Stopwatch.StartNew();
    readonly StringBuilder partial = new();
    readonly TimeSpan interval;
    readonly string? shownPath;
    string? lastLine;
    bool pending;
    int lines;

    /// <param name="logPath">Where every line goes; null: nowhere (the caller keeps the full log, e.g. training.log).</param>
    /// <param name="show">Shows the current text (in a notebook: a display handle's Update).</param>
    public ProgressDisplay(string? logPath, Action<string> show, TimeSpan? interval = null)
    {
        if (logPath is not null)
        {
            var full = Path.GetFullPath(logPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            log = new StreamWriter(full, append: true, new UTF8Encoding(false)) { AutoFlush = true };
            // As seen from the notebook's folder: an executed notebook keeps no path of the machine it ran on.
            shownPath = Path.GetRelativePath(Environment.CurrentDirectory, full).Replace('\\', '/');
        }
        this.show = show;
        this.interval = interval ?? TimeSpan.FromMilliseconds(500);
        show(shownPath is null ? "starting" : $"starting (full log: {shownPath})");
    }

    /// <summary>In a notebook cell: a display that the progress lines update, and the log file beside it.</summary>
    /// <param name="interval">Shortest time between two updates of the display (default half a second).</param>
    public static ProgressDisplay Show(string? logPath = null, TimeSpan? interval = null)
    {
        var shown = LiveDisplay.Show("starting");
        return new ProgressDisplay(logPath, text => shown?.Update(text), interval);
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>The lines written so far.</summary>
    public int Lines => lines;

    public override void Write(char value)
    {
        if (value == '\n') { EndLine(); return; }
        if (value != '\r') partial.Append(value);
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (var c in value) Write(c);
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        EndLine();
    }

    public override void WriteLine() => EndLine();

    void EndLine()
    {
        var line = partial.ToString();
        partial.Clear();
        log?.WriteLine(line);
        lines++;
        if (line.Trim().Length == 0) return;
        lastLine = line;
        pending = true;
        if (sinceShown.Elapsed >= interval) ShowLatest();
    }

    void ShowLatest()
    {
        if (!pending || lastLine is null) return;
        show(shownPath is null ? $"{lastLine}    ({lines:N0} lines)" : $"{lastLine}    ({lines:N0} lines in {shownPath})");
        pending = false;
        sinceShown.Restart();
    }

    public override void Flush()
    {
        ShowLatest();
        log?.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (partial.Length > 0) EndLine();
            ShowLatest();
            log?.Dispose();
        }
        base.Dispose(disposing);
    }
}
