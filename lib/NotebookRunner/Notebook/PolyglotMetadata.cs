// The metadata Polyglot Notebooks (VS Code) writes for C# notebooks, and the rules it uses to decide a cell's kernel.
using System.Text.Json.Nodes;

namespace NotebookRunner.Notebook;

public static class PolyglotMetadata
{
    public const string CSharpKernel = "csharp";

    static readonly string[] CSharpNames = ["csharp", "c#", "cs"];

    public static bool IsCSharp(string? kernelName) =>
        kernelName is not null && CSharpNames.Contains(kernelName.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The notebook's default kernel, in the order .NET Interactive and VS Code look for it:
    /// polyglot_notebook.kernelInfo.defaultKernelName, polyglot_notebook.defaultKernelName (dotnet-repl),
    /// dotnet_interactive.defaultKernelName, kernelspec.name without ".net-", kernelspec.language.
    /// Null when the notebook names no kernel at all.
    /// </summary>
    public static string? DefaultKernel(JsonObject notebookMetadata)
    {
        var polyglot = notebookMetadata["polyglot_notebook"];
        var name = Str(polyglot?["kernelInfo"]?["defaultKernelName"])
            ?? Str(polyglot?["defaultKernelName"])
            ?? Str(notebookMetadata["dotnet_interactive"]?["defaultKernelName"]);
        if (name is not null) return name;
        var spec = Str(notebookMetadata["kernelspec"]?["name"]);
        if (spec is not null) return spec.StartsWith(".net-", StringComparison.Ordinal) ? spec[".net-".Length..] : spec;
        return Str(notebookMetadata["kernelspec"]?["language"]);
    }

    /// <summary>Adds the kernelspec / language_info / polyglot_notebook entries a C# Polyglot notebook has, keeping any present.</summary>
    public static void EnsureNotebookMetadata(JsonObject metadata)
    {
        metadata["kernelspec"] ??= new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        };
        metadata["language_info"] ??= new JsonObject { ["name"] = "polyglot-notebook" };
        metadata["polyglot_notebook"] ??= new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = CSharpKernel,
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = CSharpKernel }),
            },
        };
    }

    /// <summary>Gives a code cell both kernel entries the Polyglot writer always writes, keeping any present.</summary>
    public static void EnsureCellMetadata(NotebookCell cell)
    {
        if (!cell.IsCode) return;
        var m = cell.Metadata;
        var kernel = cell.MetadataKernelName ?? CSharpKernel;
        if (m["dotnet_interactive"] is not JsonObject di) m["dotnet_interactive"] = di = new JsonObject();
        di["language"] ??= kernel;
        if (m["polyglot_notebook"] is not JsonObject pn) m["polyglot_notebook"] = pn = new JsonObject();
        pn["kernelName"] ??= kernel;
    }

    static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
