// What a notebook run needs besides the notebook: where it lives, limits, where text goes, what to record.
using System.Text.Json.Nodes;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public sealed class ExecutionOptions
{
    /// <summary>The source notebook's path: its folder is the working directory and #r/#load base.</summary>
    public required string NotebookPath { get; init; }
    public string? OutputPath { get; init; }
    public TimeSpan? CellTimeout { get; init; }
    /// <summary>Runner progress and failure messages.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;
    /// <summary>Live copy of what cells write to Console.Out / Console.Error.</summary>
    public TextWriter EchoOut { get; init; } = TextWriter.Null;
    public TextWriter EchoError { get; init; } = TextWriter.Null;
    /// <summary>Called after each cell with the notebook as it stands (the CLI writes it to --output).</summary>
    public Action<NotebookDocument>? Checkpoint { get; init; }
    /// <summary>The overridden parameters, recorded in the run metadata.</summary>
    public JsonObject Parameters { get; init; } = [];
}
