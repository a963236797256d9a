// Compile errors, exceptions, the kernel's own failures and runner-side failures as nbformat error outputs whose traceback reads on its own
// (JupyterLab and VS Code show only the traceback).
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public static class ErrorOutputs
{
    public const string CompilationErrorName = "CompilationError";
    public const string DirectiveErrorName = "DirectiveError";
    public const string TimeoutErrorName = "CellTimeout";
    public const string KernelErrorName = "KernelError";

    /// <summary>
    /// A failed submission as the kernel reported it: compile errors as "(line,column): error CSxxxx: message" lines
    /// (positions in the cell), an exception with its type and stack, or the kernel's own message (an unknown magic
    /// command, a package that does not restore).
    /// </summary>
    /// <param name="compileErrors">The cell's compile errors as the kernel's diagnostics listed them (may be empty).</param>
    public static ErrorOutput Failed(CommandFailed failed, IReadOnlyList<string> compileErrors, string cellLabel)
    {
        switch (failed.Exception)
        {
            case CodeSubmissionCompilationErrorException compile:
                var lines = compileErrors.Count > 0
                    ? compileErrors.ToArray()
                    : compile.Message.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
                return new ErrorOutput(CompilationErrorName, string.Join("\n", lines),
                    [$"{CompilationErrorName}: {cellLabel} does not compile", .. lines.Select(l => "  " + l)]);
            case { } exception:
                return Exception(exception);
            default:
                var message = failed.Message.Trim();
                return new ErrorOutput(KernelErrorName, message, [$"{KernelErrorName}: {cellLabel}: {message}"]);
        }
    }

    public static ErrorOutput Exception(Exception exception)
    {
        exception = Unwrap(exception);
        var traceback = exception.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => !IsRunnerFrame(l))
            .ToArray();
        return new ErrorOutput(exception.GetType().Name, exception.Message, traceback);
    }

    public static ErrorOutput Directive(string message, string cellLabel) =>
        new(DirectiveErrorName, message, [$"{DirectiveErrorName}: {cellLabel}: {message}"]);

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
            || t.StartsWith("at Microsoft.DotNet.Interactive.", StringComparison.Ordinal)
            || t.StartsWith("at NotebookRunner.", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.CompilerServices.", StringComparison.Ordinal)
            || t.StartsWith("at System.Threading.ExecutionContext.", StringComparison.Ordinal)
            || t.StartsWith("--- End of stack trace from previous location", StringComparison.Ordinal);
    }
}
