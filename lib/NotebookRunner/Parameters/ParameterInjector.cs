// papermill's parameterization for C#: overrides from `-p name=value` and NB_<NAME> environment variables become a
// cell tagged "injected-parameters" right after the first cell tagged "parameters" (`var name = <literal>;`, which
// shadows the default in the next script submission). An injected cell from an earlier run is replaced.
using System.Text;
using System.Text.Json.Nodes;
using NotebookRunner.Execution;
using NotebookRunner.Notebook;

namespace NotebookRunner.Parameters;

public sealed record InjectedParameter(string Name, ParameterType Type, string Value, string Literal, string Origin);

public static class ParameterInjector
{
    public const string InjectedTag = "injected-parameters";
    public const string EnvironmentPrefix = "NB_";

    /// <param name="commandLine">-p values in order (a later one wins).</param>
    /// <param name="environment">Lookup for NB_&lt;NAME&gt; (upper-case parameter name); only declared parameters are looked up.</param>
    /// <param name="warnings">Receives notes such as "undeclared parameter".</param>
    /// <exception cref="FormatException">A value does not fit its parameter's type, or a type cannot be inferred.</exception>
    public static IReadOnlyList<InjectedParameter> Inject(NotebookDocument doc,
        IReadOnlyList<KeyValuePair<string, string>> commandLine, Func<string, string?> environment, Action<string> warnings)
    {
        var existing = doc.Cells.FindIndex(c => c.IsCode && c.HasTag(InjectedTag));
        if (existing >= 0) doc.RemoveCell(existing);

        int parametersIndex = doc.Cells.FindIndex(c => c.IsCode && c.HasTag(NotebookExecutor.ParametersTag));
        var declared = parametersIndex < 0
            ? []
            : ParameterDeclarations.Parse(doc.Cells[parametersIndex].Source);
        var byName = declared.GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.Last());

        var values = new Dictionary<string, (string Value, string Origin)>(StringComparer.Ordinal);
        foreach (var d in declared)
            if (environment(EnvironmentPrefix + d.Name.ToUpperInvariant()) is { } env)
                values[d.Name] = (env, $"environment {EnvironmentPrefix}{d.Name.ToUpperInvariant()}");
        foreach (var (name, value) in commandLine) values[name] = (value, "-p");
        if (values.Count == 0) return [];

        var injected = new List<InjectedParameter>();
        foreach (var (name, (value, origin)) in values.OrderBy(v => Order(declared, v.Key)).ThenBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name))
                throw new FormatException($"'{name}' is not a valid C# variable name");
            ParameterType type;
            if (byName.TryGetValue(name, out var declaration))
            {
                type = declaration.Type ?? throw new FormatException(
                    $"parameter {name} is declared as `{declaration.DeclaredAs} {name} = ...` and the runner cannot tell its type; " +
                    "declare it with an explicit type (int, long, double, float, bool or string) to override it");
            }
            else
            {
                type = CSharpLiteral.Guess(value);
                warnings(parametersIndex < 0
                    ? $"the notebook has no cell tagged \"parameters\"; {name} is injected as {CSharpLiteral.Keyword(type)} at the top"
                    : $"{name} is not declared in the parameters cell; injected as {CSharpLiteral.Keyword(type)}");
            }
            injected.Add(new InjectedParameter(name, type, value, CSharpLiteral.From(value, type, name), origin));
        }

        var source = new StringBuilder("// Parameters injected by NotebookRunner\n");
        foreach (var p in injected) source.Append($"var {p.Name} = {p.Literal};\n");
        var cell = NotebookCell.NewCode(source.ToString().TrimEnd('\n'), InjectedTag);
        doc.InsertCell(parametersIndex + 1, cell);
        return injected;
    }

    /// <summary>The parameters as recorded in the run metadata: name → typed JSON value.</summary>
    public static JsonObject ToJson(IEnumerable<InjectedParameter> parameters)
    {
        var json = new JsonObject();
        foreach (var p in parameters)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            json[p.Name] = p.Type switch
            {
                ParameterType.Int => JsonValue.Create(int.Parse(p.Value.Trim(), inv)),
                ParameterType.Long => JsonValue.Create(long.Parse(p.Value.Trim(), inv)),
                ParameterType.Double or ParameterType.Float when double.TryParse(p.Value.Trim(), inv, out var d) && double.IsFinite(d) => JsonValue.Create(d),
                ParameterType.Bool => JsonValue.Create(bool.Parse(p.Value.Trim())),
                _ => JsonValue.Create(p.Value),
            };
        }
        return json;
    }

    static int Order(IReadOnlyList<ParameterDeclaration> declared, string name)
    {
        for (int i = 0; i < declared.Count; i++) if (declared[i].Name == name) return i;
        return int.MaxValue;
    }
}
