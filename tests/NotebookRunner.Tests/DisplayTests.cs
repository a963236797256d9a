// What cells show, as the kernel produces it: console text as stream outputs (and echoed live), display() and the
// kernel helpers as display_data, the trailing expression as execute_result, and displays updated in place by
// events that carry their display id (as Compression.Notebooks' LiveDisplay publishes them).
using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

public class DisplayTests
{
    static string Mime(JsonObject output, string mime) => CliRun.Text(output["data"]![mime]);

    [Fact]
    public async Task ConsoleOutputBecomesStreamsAndIsEchoed()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            "Console.WriteLine(\"out 1\");\nConsole.Write(\"out 2\\n\");\nConsole.Error.WriteLine(\"err 1\");\nConsole.WriteLine(\"out 3\");");
        Assert.Equal(0, run.ExitCode);
        var streams = run.OfType(0, "stream").Select(o => (o["name"]!.GetValue<string>(), CliRun.Text(o["text"]))).ToArray();
        Assert.Equal([("stdout", "out 1\nout 2\n"), ("stderr", "err 1\n"), ("stdout", "out 3\n")], streams);
        Assert.Contains("out 1\nout 2\n", run.Stdout);   // live echo to the runner's stdout
        Assert.Contains("err 1", run.Stderr);
    }

    [Fact]
    public async Task KernelHelpersProduceDisplayData()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            "display(\"plain words\");\n" +
            "\"<b>bold</b>\".DisplayAs(\"text/html\");\n" +
            "new List<int> { 1, 2, 3 }.Display();\n" +
            "display(HTML(\"<i>html</i>\"));\n" +
            "display(3.5, \"text/plain\");\n" +
            "Console.WriteLine(\"between\");",
            "Console.WriteLine(\"no value\")",
            "HTML(\"<u>result</u>\")",
            "display(1)");
        Assert.Equal(0, run.ExitCode);
        var outputs = run.Outputs(0).Cast<JsonObject>().ToArray();
        Assert.Equal(["display_data", "display_data", "display_data", "display_data", "display_data", "stream"],
            outputs.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("plain words", Mime(outputs[0], "text/plain"));
        Assert.Null(outputs[0]["data"]!["text/html"]);                          // strings prefer text/plain
        Assert.Equal("<b>bold</b>", Mime(outputs[1], "text/html"));
        Assert.Contains("<pre>[ 1, 2, 3 ]</pre>", Mime(outputs[2], "text/html")); // objects get HTML
        Assert.Equal("<i>html</i>", Mime(outputs[3], "text/html"));
        Assert.Equal("3.5", Mime(outputs[4], "text/plain"));
        Assert.Single(outputs[4]["data"]!.AsObject());                          // exactly the MIME types asked for

        Assert.Empty(run.OfType(1, "execute_result"));                          // a void call is not a value
        Assert.Equal("<u>result</u>", Mime(Assert.Single(run.OfType(2, "execute_result")), "text/html"));
        Assert.Single(run.OfType(3, "display_data"));                           // display(x) as last line: shown once
        Assert.Empty(run.OfType(3, "execute_result"));
    }

    [Fact]
    public async Task DisplaysUpdateInPlaceByDisplayIdAcrossCells()
    {
        using var dir = new TempDir();
        const string publish = """
            using Microsoft.DotNet.Interactive;
            using Microsoft.DotNet.Interactive.Events;
            using Microsoft.DotNet.Interactive.Formatting;
            void Show(string text, bool update)
            {
                var context = KernelInvocationContext.Current;
                context.Publish(update
                    ? new DisplayedValueUpdated(text, "progress-1", context.Command, FormattedValue.CreateManyFromObject(text, "text/plain"))
                    : new DisplayedValueProduced(text, context.Command, FormattedValue.CreateManyFromObject(text, "text/plain"), "progress-1"));
            }
            Show("step 1", false);
            Console.WriteLine("training");
            for (int i = 2; i <= 100; i++) Show($"step {i}", true);
            """;
        var run = await Cli.RunCellsAsync(dir, publish, "Show(\"done, from a later cell\", true);");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var shown = Assert.Single(run.OfType(0, "display_data"));               // one output, not a hundred
        Assert.Equal("done, from a later cell", Mime(shown, "text/plain"));
        Assert.Empty(run.OfType(1, "display_data"));
    }

    [Fact]
    public async Task TimeMagicIsTheToolsNotTheKernelPackages()
    {
        // #!time lives in the dotnet-interactive tool's own assembly, not in the kernel packages the runner hosts:
        // the runner says so instead of timing (lib/NotebookRunner/README.md).
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "#!time\nSystem.Threading.Thread.Sleep(20);");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("#!time", Assert.Single(run.OfType(0, "error"))["evalue"]!.GetValue<string>());
    }
}
