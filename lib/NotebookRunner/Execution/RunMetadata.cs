// Provenance written into the executed notebook, after papermill's metadata.papermill: notebook-level
// metadata.notebook_runner {start_time, end_time, duration, status, parameters, ...} and per-cell
// metadata.notebook_runner {start_time, end_time, duration, status, exception}.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public static class RunMetadata
{
    public const string Key = "notebook_runner";

    public static string RunnerVersion =>
        typeof(RunMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void Begin(NotebookDocument doc, DateTimeOffset start, ExecutionOptions options)
    {
        doc.Metadata[Key] = new JsonObject
        {
            ["runner_version"] = RunnerVersion,
            ["dotnet_version"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["kernel"] = $"Microsoft.DotNet.Interactive.CSharp {KernelSession.KernelVersion} (in process)",
            // Relative to the notebook's folder here; Relocation rebases it with the #r paths for where the copy lies.
            ["input_path"] = Path.GetFileName(options.NotebookPath),
            ["start_time"] = Iso(start),
            ["end_time"] = null,
            ["duration"] = null,
            ["status"] = "running",
            ["exception"] = null,
            ["parameters"] = options.Parameters.DeepClone(),
        };
    }

    public static void End(NotebookDocument doc, DateTimeOffset start, DateTimeOffset end, bool succeeded, JsonObject? failure)
    {
        if (doc.Metadata[Key] is not JsonObject m) return;
        m["end_time"] = Iso(end);
        m["duration"] = Seconds(end - start);
        m["status"] = succeeded ? "completed" : "failed";
        m["exception"] = !succeeded;
        if (failure is not null) m["failed_cell"] = failure;
    }

    public static void Cell(NotebookCell cell, DateTimeOffset start, DateTimeOffset end, string status)
    {
        cell.Metadata[Key] = new JsonObject
        {
            ["start_time"] = Iso(start),
            ["end_time"] = Iso(end),
            ["duration"] = Seconds(end - start),
            ["status"] = status,
            ["exception"] = status == "failed",
        };
    }

    /// <summary>Removes what an earlier run recorded, so an executed notebook can be run again.</summary>
    public static void Clear(NotebookCell cell) => cell.Json["metadata"]?.AsObject().Remove(Key);

    static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 6);
}
