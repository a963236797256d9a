// Compile errors, exceptions and runner-side failures as nbformat error outputs whose traceback reads on its own
// (JupyterLab and VS Code show only the traceback).
using Microsoft.CodeAnalysis;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public static class ErrorOutputs
{
    public const string CompilationErrorName = "CompilationError";
    public const string DirectiveErrorName = "DirectiveError";
    public const string TimeoutErrorName = "CellTimeout";

    /// <summary>"(line,column): error CSxxxx: message" with 1-based positions in the cell, as the C# kernel reports them.</summary>
    public static string Describe(Diagnostic d)
    {
        var pos = d.Location.GetLineSpan().StartLinePosition;
        return $"({pos.Line + 1},{pos.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    public static ErrorOutput Compilation(IEnumerable<Diagnostic> errors, string cellLabel)
    {
        var lines = errors.Select(Describe).ToArray();
        return new ErrorOutput(CompilationErrorName, string.Join("\n", lines),
            [$"{CompilationErrorName}: {cellLabel} does not compile", .. lines.Select(l => "  " + l)]);
    }

    public static ErrorOutput Exception(Exception exception)
    {
        exception = Unwrap(exception);
        var traceback = exception.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => !IsRunnerFrame(l))
            .ToArray();
        return new ErrorOutput(exception.GetType().Name, exception.Message, traceback);
    }

    public static ErrorOutput Directive(DirectiveException exception, string cellLabel) =>
        new(DirectiveErrorName, exception.Message, [$"{DirectiveErrorName}: {cellLabel}: {exception.Message}"]);

    public static ErrorOutput Timeout(TimeSpan limit, string cellLabel)
    {
        var message = $"{cellLabel} did not finish within the per-cell timeout of {limit.TotalSeconds:0.###} s";
        return new ErrorOutput(TimeoutErrorName, message, [$"{TimeoutErrorName}: {message}"]);
    }

    /// <summary>The one-line form for the terminal: "ename: evalue" (first line of evalue).</summary>
    public static string Summary(ErrorOutput error)
    {
        var first = error.EValue.Split('\n')[0];
        var more = error.EValue.Contains('\n') ? " (…)" : "";
        return $"{error.EName}: {first}{more}";
    }

    static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
            else if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
            else return e;
        }
    }

    /// <summary>Frames of Roslyn's script machinery and of this runner say nothing about the notebook.</summary>
    static bool IsRunnerFrame(string line)
    {
        var t = line.TrimStart();
        return t.StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal)
            || t.StartsWith("at NotebookRunner.", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.CompilerServices.", StringComparison.Ordinal)
            || t.StartsWith("at System.Threading.ExecutionContext.", StringComparison.Ordinal)
            || t.StartsWith("--- End of stack trace from previous location", StringComparison.Ordinal);
    }
}
