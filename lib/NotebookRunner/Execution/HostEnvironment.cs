// What the runner's own process provides to notebooks: the NuGet packages and projects it was built with (from its
// deps.json) and the assemblies on its trusted-platform list. Notebooks compile against and run with exactly these
// assemblies, so there is never a second copy of TorchSharp, Plotly.NET or Deedle.
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace NotebookRunner.Execution;

public sealed class HostEnvironment
{
    /// <summary>Packages and projects by name (case-insensitive) with their versions; empty when no deps.json was found.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; }
    /// <summary>Managed assemblies the process can load, by simple name → path.</summary>
    public IReadOnlyDictionary<string, string> Assemblies { get; }
    public string? DepsFile { get; }

    HostEnvironment(IReadOnlyDictionary<string, string> packages, IReadOnlyDictionary<string, string> assemblies, string? depsFile)
    {
        Packages = packages;
        Assemblies = assemblies;
        DepsFile = depsFile;
    }

    static readonly Lazy<HostEnvironment> current = new(Discover);
    public static HostEnvironment Current => current.Value;

    static HostEnvironment Discover()
    {
        var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            assemblies.TryAdd(Path.GetFileNameWithoutExtension(path), path);

        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var depsFile = FindAppDepsFile();
        if (depsFile is not null)
        {
            using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
            if (deps.RootElement.TryGetProperty("libraries", out var libraries))
                foreach (var library in libraries.EnumerateObject())
                {
                    var slash = library.Name.IndexOf('/');
                    if (slash > 0) packages.TryAdd(library.Name[..slash], library.Name[(slash + 1)..]);
                }
        }
        return new HostEnvironment(packages, assemblies, depsFile);
    }

    /// <summary>The application's deps.json (the runner's, or the test host's in tests) — not the shared framework's.</summary>
    static string? FindAppDepsFile()
    {
        // Unlike the trusted-platform list (path separator), the host joins deps files with ';' on every OS.
        var listed = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";
        return listed.FirstOrDefault(p => File.Exists(p) && !p.StartsWith(frameworkDir, StringComparison.Ordinal));
    }

    public bool IsHostAssembly(string simpleName) => Assemblies.ContainsKey(simpleName);

    IReadOnlyList<MetadataReference>? references;

    /// <summary>
    /// Metadata references for scripts: every host assembly (framework, packages, projects, this runner). Made once
    /// per process, so later sessions (tests, several notebooks) reuse what Roslyn already read.
    /// </summary>
    public IReadOnlyList<MetadataReference> References => references ??= CreateReferences();

    IReadOnlyList<MetadataReference> CreateReferences() =>
        Assemblies.Values
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && IsManaged(p))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();

    static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
