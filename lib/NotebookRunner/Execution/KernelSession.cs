// The real .NET Interactive C# kernel, in this process (Microsoft.DotNet.Interactive.CSharp, the version the Jupyter
// kernel's dotnet tool is built from), set up as the tool sets it up for a browser front end: a composite kernel with
// the C# kernel as default, #r "nuget:" restore, the kernel helpers (display, HTML, ...), value sharing, and the
// tool's formatter defaults (HTML for objects, plain text for strings). The kernel's events become nbformat outputs.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using DiagnosticSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;
using Microsoft.DotNet.Interactive.PackageManagement;
using NotebookRunner.Notebook;

namespace NotebookRunner.Execution;

public sealed class KernelSession : IDisposable
{
    readonly CompositeKernel kernel;
    readonly IDisposable subscription;
    readonly Lock gate;
    readonly TextWriter echoOut;
    readonly TextWriter echoError;
    // Display ids of every display so far, in any cell: DisplayedValue.Update may change an earlier cell's output.
    readonly Dictionary<string, (CellOutputs Outputs, DisplayOutput Output)> displays = [];
    CellOutputs? current;
    IReadOnlyList<string> errors = [];

    public const string CSharpKernelName = "csharp";

    /// <summary>The version of Microsoft.DotNet.Interactive the runner hosts.</summary>
    public static string KernelVersion =>
        typeof(Kernel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0]
        ?? typeof(Kernel).Assembly.GetName().Version?.ToString() ?? "?";

    /// <param name="echoOut">Where the cells' console output is copied live; written to from the kernel's events, so
    /// it must not be Console.Out itself (the kernel redirects Console.Out while a cell runs).</param>
    public KernelSession(Lock gate, TextWriter echoOut, TextWriter echoError)
    {
        this.gate = gate;
        this.echoOut = echoOut;
        this.echoError = echoError;
        Formatter.ResetToDefault();
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        var csharp = new CSharpKernel()
            .UseNugetDirective((k, packages) =>
            {
                k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();
        kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        subscription = kernel.KernelEvents.Subscribe(OnEvent);
    }

    /// <summary>Runs one cell; its outputs go to <paramref name="outputs"/>. Returns the failure, or null.</summary>
    public async Task<ErrorOutput?> SubmitAsync(string code, CellOutputs outputs, string cellLabel, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            current = outputs;
            errors = [];
        }
        try
        {
            var result = await kernel.SendAsync(new SubmitCode(code, CSharpKernelName), cancellationToken);
            var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
            lock (gate) return failed is null ? null : ErrorOutputs.Failed(failed, errors, cellLabel);
        }
        finally
        {
            echoOut.Flush();
            echoError.Flush();
        }
    }

    void OnEvent(KernelEvent e)
    {
        lock (gate)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    var text = PlainText(o.FormattedValues);
                    current?.AppendStream("stdout", text);
                    echoOut.Write(text);
                    break;
                case StandardErrorValueProduced o:
                    var error = PlainText(o.FormattedValues);
                    current?.AppendStream("stderr", error);
                    echoError.Write(error);
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && displays.TryGetValue(u.ValueId, out var shown):
                    shown.Outputs.Replace(shown.Output, Bundle(u.FormattedValues));
                    break;
                case DiagnosticsProduced diagnostics when diagnostics.Diagnostics.Any(IsError):
                    // Every compile error of the cell; the failure itself names only the first.
                    errors = diagnostics.Diagnostics.Where(IsError).Select(d =>
                        $"({d.LinePositionSpan.Start.Line + 1},{d.LinePositionSpan.Start.Character + 1}): error {d.Code}: {d.Message}").ToArray();
                    break;
                case ReturnValueProduced { Value: DisplayedValue }:
                    break;   // display(x) as a cell's last expression: shown once, by the display itself
                case ReturnValueProduced r:
                    current?.Add(new DisplayOutput(Bundle(r.FormattedValues), current.ExecutionCount));
                    break;
                case DisplayedValueProduced d when current is not null:
                    var output = new DisplayOutput(Bundle(d.FormattedValues));
                    current.Add(output);
                    if (d.ValueId is not null) displays[d.ValueId] = (current, output);
                    break;
            }
        }
    }

    static bool IsError(Microsoft.DotNet.Interactive.Diagnostic d) => d.Severity == DiagnosticSeverity.Error;

    static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        (values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType) ?? values.FirstOrDefault())?.Value ?? "";

    static IReadOnlyList<KeyValuePair<string, string>> Bundle(IReadOnlyCollection<FormattedValue> values) =>
        values.Select(v => KeyValuePair.Create(v.MimeType, v.Value)).ToArray();

    public void Dispose()
    {
        subscription.Dispose();
        kernel.Dispose();
    }
}
