// What cells show: console text as stream outputs (and echoed live), display()/Display()/DisplayAs()/HTML() as
// display_data, the trailing expression as execute_result, and display handles that update in place.
namespace NotebookRunner.Tests;

public class DisplayTests
{
    static string Mime(System.Text.Json.Nodes.JsonObject output, string mime) => CliRun.Text(output["data"]![mime]);

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
    public async Task DisplayHelpersProduceDisplayData()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir,
            "display(\"plain words\");\n" +
            "\"<b>bold</b>\".DisplayAs(\"text/html\");\n" +
            "new List<int> { 1, 2, 3 }.Display();\n" +
            "display(HTML(\"<i>html</i>\"));\n" +
            "display(3.5, \"text/plain\");\n" +
            "Console.WriteLine(\"between\");\n" +
            "var handle = display(\"first\");\n" +
            "handle.Update(\"second\");",
            "handle.Update(\"third, from a later cell\");\nConsole.WriteLine(\"no value\")",
            "HTML(\"<u>result</u>\")",
            "display(1)");
        Assert.Equal(0, run.ExitCode);
        var outputs = run.Outputs(0).Cast<System.Text.Json.Nodes.JsonObject>().ToArray();
        Assert.Equal(["display_data", "display_data", "display_data", "display_data", "display_data", "stream", "display_data"],
            outputs.Select(o => o["output_type"]!.GetValue<string>()));

        Assert.Equal("plain words", Mime(outputs[0], "text/plain"));
        Assert.Null(outputs[0]["data"]!["text/html"]);                          // strings prefer text/plain
        Assert.Equal("<b>bold</b>", Mime(outputs[1], "text/html"));
        Assert.Contains("<pre>[ 1, 2, 3 ]</pre>", Mime(outputs[2], "text/html")); // objects get HTML ...
        Assert.Contains("[ 1, 2, 3 ]", Mime(outputs[2], "text/plain"));         // ... and a text/plain fallback
        Assert.Equal("<i>html</i>", Mime(outputs[3], "text/html"));
        Assert.Equal("3.5", Mime(outputs[4], "text/plain"));
        Assert.Single(outputs[4]["data"]!.AsObject());                          // exactly the MIME types asked for
        Assert.Equal("third, from a later cell", Mime(outputs[6], "text/plain"));   // Update replaces, not appends

        Assert.Empty(run.OfType(1, "execute_result"));                          // a void call is not a value
        var result = Assert.Single(run.OfType(2, "execute_result"));
        Assert.Equal("<u>result</u>", Mime(result, "text/html"));
        Assert.Single(run.OfType(3, "display_data"));                           // display(x) as last line: shown once
        Assert.Empty(run.OfType(3, "execute_result"));
    }

    [Fact]
    public async Task TimeMagicReportsWallTime()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "#!time\nSystem.Threading.Thread.Sleep(20);");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Wall time: ", CliRun.Text(Assert.Single(run.OfType(0, "display_data"))["data"]!["text/plain"]));
    }

    [Fact]
    public async Task TensorsShowAsPlainText()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, "TorchSharp.torch.ones(2, 3)");
        Assert.Equal(0, run.ExitCode);
        var data = Assert.Single(run.OfType(0, "execute_result"))["data"]!.AsObject();
        Assert.Equal(["text/plain"], data.Select(p => p.Key));
        Assert.Contains("[2x3], type = Float32, device = cpu", CliRun.Text(data["text/plain"]));
    }
}
