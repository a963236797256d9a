// The notebook model: reads what Polyglot/VS Code/Jupyter write (source as string or lines, old metadata styles),
// writes nbformat 4.5 in their layout, and keeps whatever it does not understand.
using System.Text.Json.Nodes;
using NotebookRunner.Notebook;

namespace NotebookRunner.Tests;

public class NotebookFormatTests
{
    // As VS Code writes a Polyglot notebook, plus content this runner knows nothing about.
    const string PolyglotNotebook = """
        {
         "cells": [
          {
           "attachments": {"a.png": {"image/png": "iVBORw0KGgo="}},
           "cell_type": "markdown",
           "metadata": {"custom_cell_key": [1, 2]},
           "source": "# Title\nsome *text*"
          },
          {
           "cell_type": "code",
           "execution_count": 7,
           "metadata": {
            "dotnet_interactive": {"language": "csharp"},
            "polyglot_notebook": {"kernelName": "csharp"},
            "vscode": {"languageId": "polyglot-notebook"},
            "collapsed": true
           },
           "outputs": [{"name": "stdout", "output_type": "stream", "text": ["stale\n"]}],
           "source": ["var a = 1;\n", "a + 1"]
          },
          {
           "cell_type": "raw",
           "id": "raw-cell",
           "metadata": {},
           "source": "raw text"
          }
         ],
         "metadata": {
          "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
          "language_info": {"name": "polyglot-notebook"},
          "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
          "unknown_tool": {"keep": "me", "nested": {"list": [true, null, 2.5]}}
         },
         "nbformat": 4,
         "nbformat_minor": 4
        }
        """;

    [Fact]
    public void ReadsSourceAsStringOrLines()
    {
        var doc = NotebookDocument.Parse(PolyglotNotebook);
        Assert.Equal("# Title\nsome *text*", doc.Cells[0].Source);
        Assert.Equal("var a = 1;\na + 1", doc.Cells[1].Source);
        Assert.Equal("csharp", doc.Cells[1].MetadataKernelName);
        Assert.Equal("csharp", PolyglotMetadata.DefaultKernel(doc.Metadata));
    }

    [Fact]
    public void RoundTripKeepsUnknownContentAndIsStable()
    {
        var doc = NotebookDocument.Parse(PolyglotNotebook);
        doc.Normalize();
        var written = doc.Serialize();
        var back = NotebookJson.Parse(written);

        NbformatChecks.AssertValid(back);
        Assert.Equal(5, back["nbformat_minor"]!.GetValue<int>());
        Assert.Equal("me", back["metadata"]!["unknown_tool"]!["keep"]!.GetValue<string>());
        Assert.Equal("[true,null,2.5]", back["metadata"]!["unknown_tool"]!["nested"]!["list"]!.ToJsonString());
        Assert.Equal("[1,2]", back["cells"]![0]!["metadata"]!["custom_cell_key"]!.ToJsonString());
        Assert.Equal("iVBORw0KGgo=", back["cells"]![0]!["attachments"]!["a.png"]!["image/png"]!.GetValue<string>());
        Assert.True(back["cells"]![1]!["metadata"]!["collapsed"]!.GetValue<bool>());
        Assert.Equal("polyglot-notebook", back["cells"]![1]!["metadata"]!["vscode"]!["languageId"]!.GetValue<string>());
        Assert.Equal("raw-cell", back["cells"]![2]!["id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{8}$", back["cells"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(["var a = 1;\n", "a + 1"], back["cells"]![1]!["source"]!.AsArray().Select(l => l!.GetValue<string>()));

        // Writing what was read gives the same bytes: ids, key order and layout are stable.
        var again = NotebookDocument.Parse(written);
        again.Normalize();
        Assert.Equal(written, again.Serialize());
    }

    [Fact]
    public void WritesTheLayoutJupyterAndVsCodeUse()
    {
        var doc = NotebookDocument.Parse(PolyglotNotebook);
        doc.Normalize();
        var text = doc.Serialize();
        Assert.StartsWith("{\n \"cells\": [\n  {\n   \"attachments\"", text);   // 1-space indent, sorted keys
        Assert.EndsWith("\"nbformat_minor\": 5\n}\n", text);
        Assert.DoesNotContain("\r", text);
        Assert.DoesNotContain("\\u", text);                                     // relaxed escaping, as Polyglot writes
    }

    [Fact]
    public void MinimalNotebookGetsPolyglotMetadata()
    {
        var doc = NotebookDocument.Parse("""{"cells": [{"cell_type": "code", "source": "1", "metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}""");
        doc.Normalize();
        var back = NotebookJson.Parse(doc.Serialize());
        NbformatChecks.AssertValid(back);
        Assert.Equal(".net-csharp", back["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", back["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["items"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", back["cells"]![0]!["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
    }

    [Fact]
    public void DuplicateOrInvalidIdsAreReplaced()
    {
        var doc = NotebookDocument.Parse("""
            {"cells": [
              {"cell_type": "code", "id": "same", "source": "", "metadata": {}, "outputs": [], "execution_count": null},
              {"cell_type": "code", "id": "same", "source": "", "metadata": {}, "outputs": [], "execution_count": null},
              {"cell_type": "code", "id": "not valid!", "source": "", "metadata": {}, "outputs": [], "execution_count": null}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        doc.Normalize();
        Assert.Equal("same", doc.Cells[0].Id);
        Assert.Equal(3, doc.Cells.Select(c => c.Id).Distinct().Count());
        Assert.All(doc.Cells, c => Assert.True(CellIds.IsValid(c.Id)));
    }

    [Fact]
    public void RejectsWhatIsNotANotebook()
    {
        Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse("""{"nbformat": 3, "worksheets": []}"""));
        Assert.Throws<InvalidDataException>(() => NotebookDocument.Parse("""{"nbformat": 4, "metadata": {}}"""));
    }

    [Fact]
    public async Task ExecutedNotebookClearsStaleOutputsAndKeepsUnknownMetadata()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("nb.ipynb"), PolyglotNotebook);
        var run = await Cli.RunAsync(["run", dir.File("nb.ipynb"), "--output", dir.File("out.ipynb")]);
        Assert.Equal(0, run.ExitCode);
        NbformatChecks.AssertValid(run.Output!);
        Assert.Equal("me", run.Output!["metadata"]!["unknown_tool"]!["keep"]!.GetValue<string>());
        var outputs = run.Outputs(1);
        Assert.Equal("execute_result", Assert.Single(outputs)!["output_type"]!.GetValue<string>());
        Assert.Equal(1, run.Cell(1)["execution_count"]!.GetValue<int>());
        Assert.Equal("raw text", CliRun.Text(run.Cell(2)["source"]));
    }

    [Fact]
    public void AtomicWriteReplacesTheFileAndLeavesNoTemporaries()
    {
        using var dir = new TempDir();
        var path = dir.File("sub/file.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two", durable: false);
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["file.txt"], Directory.GetFiles(dir.File("sub")).Select(f => Path.GetFileName(f)!));
    }
}
