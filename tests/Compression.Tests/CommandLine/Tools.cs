// The package's command-line tools run as a user runs them: `dotnet <tool>.dll args`, in a working directory of the
// test's choosing, with stdout, stderr and the exit code captured.
using System.Diagnostics;
using Compression.Tests.Format;

namespace Compression.Tests.CommandLine;

static class Tools
{
    public sealed record Result(int Code, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The dll of a tool of the solution, built in this test assembly's configuration.</summary>
    public static string Dll(string projectFolder, string name)
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string dll = Path.Combine(CommittedFiles.Root, projectFolder, "bin", configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built (make build builds the whole solution)");
        return dll;
    }

    public static string Experiments => Dll("lib/Experiments", "Experiments");
    public static string FetchData => Dll("data-scripts/FetchData", "FetchData");
    public static string NotebookRunner => Dll("lib/NotebookRunner", "NotebookRunner");

    public static Result Run(string dll, string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(entireProcessTree: true); Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not finish in 2 minutes"); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
