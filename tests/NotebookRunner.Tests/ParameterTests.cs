// papermill-style parameters: defaults in the cell tagged "parameters", overrides from -p and NB_<NAME>, typed by
// the default's declaration and injected as a cell tagged "injected-parameters".
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

public class ParameterTests
{
    static readonly string Defaults = "var epochs = 2;\nlong seed = 7;\ndouble lr = 0.01;\nvar fast = true;\nvar mode = Environment.GetEnvironmentVariable(\"X\") ?? \"smoke\";";

    static async Task<CliRun> RunWith(TempDir dir, string[] args, Dictionary<string, string>? env = null) =>
        await Cli.RunCellsAsync(dir,
            [Nb.Code("using System.Globalization;"), Nb.Code(Defaults, "parameters"),
             Nb.Code("Console.WriteLine(FormattableString.Invariant($\"{epochs}|{seed}|{lr}|{fast}|{mode}|{epochs.GetType().Name}|{seed.GetType().Name}|{lr.GetType().Name}\"));")],
            args, env);

    [Fact]
    public async Task DefaultsRunWithoutAnInjectedCell()
    {
        using var dir = new TempDir();
        var run = await RunWith(dir, []);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, run.Cells.Count);
        Assert.Contains("2|7|0.01|True|smoke|Int32|Int64|Double", run.Stdout);
    }

    [Fact]
    public async Task CommandLineAndEnvironmentOverride()
    {
        using var dir = new TempDir();
        var run = await RunWith(dir, ["-p", "epochs=5", "-p", "lr=1", "-p", "mode=full \"run\"", "-p", "seed=12345678901"],
            new() { ["NB_EPOCHS"] = "99", ["NB_FAST"] = "false" });
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("5|12345678901|1|False|full \"run\"|Int32|Int64|Double", run.Stdout);   // -p wins over NB_EPOCHS

        var injected = run.Cell(2);
        Assert.Contains("injected-parameters", injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var source = CliRun.Text(injected["source"]);
        Assert.Contains("var epochs = 5;", source);
        Assert.Contains("var seed = 12345678901L;", source);
        Assert.Contains("var lr = 1.0;", source);
        Assert.Contains("var fast = false;", source);
        Assert.Contains("var mode = \"full \\\"run\\\"\";", source);
        Assert.Contains("fast = false (environment NB_FAST)", run.Stderr);

        var recorded = run.Output!["metadata"]!["notebook_runner"]!["parameters"]!;
        Assert.Equal(5, recorded["epochs"]!.GetValue<int>());
        Assert.False(recorded["fast"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RerunningAnExecutedNotebookReplacesTheInjectedCell()
    {
        using var dir = new TempDir();
        var first = await RunWith(dir, ["-p", "epochs=5"]);
        Assert.Equal(0, first.ExitCode);
        var again = await Cli.RunAsync(["run", first.OutputPath!, "--output", dir.File("again.ipynb"), "-p", "epochs=6"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Single(again.Cells, c => CliRun.Text(c!["source"]).Contains("injected by NotebookRunner"));
        Assert.Contains("6|7|", again.Stdout);
    }

    [Fact]
    public async Task BadValuesAreUsageErrors()
    {
        using var dir = new TempDir();
        var run = await RunWith(dir, ["-p", "epochs=many"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("parameter epochs is int, but 'many' is not a valid int", run.Stderr);
        Assert.Null(run.Output);
    }

    [Theory]
    [InlineData("var a = 1;", ParameterType.Int)]
    [InlineData("var a = -1L;", ParameterType.Long)]
    [InlineData("var a = 1e-3;", ParameterType.Double)]
    [InlineData("var a = 0.5f;", ParameterType.Float)]
    [InlineData("var a = false;", ParameterType.Bool)]
    [InlineData("var a = $\"x{1}\";", ParameterType.String)]
    [InlineData("var a = Environment.GetEnvironmentVariable(\"M\") ?? \"smoke\";", ParameterType.String)]
    [InlineData("var a = full ? 50 : 2;", ParameterType.Int)]
    [InlineData("var a = int.Parse(\"3\");", ParameterType.Int)]
    [InlineData("System.Double a = 2;", ParameterType.Double)]
    [InlineData("string a = null!;", ParameterType.String)]
    [InlineData("var a = new List<int>();", null)]
    public void InfersTheTypeOfADefault(string declaration, ParameterType? expected)
    {
        var d = Assert.Single(ParameterDeclarations.Parse(declaration));
        Assert.Equal("a", d.Name);
        Assert.Equal(expected, d.Type);
    }

    [Theory]
    [InlineData("3", ParameterType.Int, "3")]
    [InlineData("3", ParameterType.Double, "3.0")]
    [InlineData("1e-4", ParameterType.Double, "0.0001")]
    [InlineData("NaN", ParameterType.Double, "double.NaN")]
    [InlineData("0.25", ParameterType.Float, "0.25f")]
    [InlineData("TRUE", ParameterType.Bool, "true")]
    [InlineData("a\\b\n", ParameterType.String, "\"a\\\\b\\n\"")]
    public void WritesCSharpLiterals(string value, ParameterType type, string literal) =>
        Assert.Equal(literal, CSharpLiteral.From(value, type, "p"));

    [Fact]
    public async Task UndeclaredParameterIsInjectedWithAGuessedType()
    {
        using var dir = new TempDir();
        var run = await Cli.RunCellsAsync(dir, [Nb.Code("Console.WriteLine(extra * 2);")], ["-p", "extra=21"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("42", run.Stdout);
        Assert.Contains("no cell tagged \"parameters\"", run.Stderr);
        Assert.Contains("injected-parameters", run.Cell(0)["metadata"]!["tags"]!.ToJsonString());
    }
}
