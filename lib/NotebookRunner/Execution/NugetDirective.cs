// `#r "nuget: Name, Version"` lines: parsed as .NET Interactive parses them, then checked against what the host
// process already provides. The runner never restores packages; a notebook asking for something else must fail.
namespace NotebookRunner.Execution;

public sealed record NugetDirective(string Name, string? Version)
{
    /// <summary>Parses the quoted argument of #r; false when it is not a nuget: reference.</summary>
    public static bool TryParse(string argument, out NugetDirective? directive)
    {
        directive = null;
        var text = argument.Trim().Trim('"').Trim();
        if (!text.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) return false;
        text = text["nuget:".Length..];
        var comma = text.IndexOf(',');
        var name = (comma < 0 ? text : text[..comma]).Trim();
        var version = comma < 0 ? null : text[(comma + 1)..].Trim();
        if (name.Length == 0) throw new DirectiveException("#r \"nuget:...\" names no package");
        directive = new NugetDirective(name, string.IsNullOrEmpty(version) ? null : version);
        return true;
    }

    public override string ToString() => Version is null ? Name : $"{Name} {Version}";

    /// <summary>
    /// Null when the host satisfies this reference, else the reason it does not. TorchSharp backend packages
    /// (TorchSharp-cpu, TorchSharp-cuda-linux, ...) are satisfied by whichever backend the runner was built with,
    /// at the same TorchSharp version, so one notebook runs under `make ... TORCH=cpu` and `TORCH=cuda`.
    /// </summary>
    public string? CheckAgainst(HostEnvironment host, out string? providedBy)
    {
        providedBy = null;
        string? hostVersion;
        if (host.Packages.Count == 0)
        {
            // No deps.json (e.g. single-file publish): fall back to assembly names; versions cannot be checked.
            var assembly = IsTorchSharpBackend(Name) ? "TorchSharp" : Name;
            if (!host.IsHostAssembly(assembly)) return NotProvided(host);
            providedBy = $"{assembly} (host assembly)";
            return null;
        }
        if (host.Packages.TryGetValue(Name, out hostVersion)) providedBy = $"{Name} {hostVersion}";
        else if (FormatterExtensions.TryGetValue(Name, out var library))
        {
            // Only registers .NET Interactive formatters (needed in VS Code); the runner has its own for this library.
            if (!host.Packages.TryGetValue(library, out var libraryVersion)) return NotProvided(host);
            providedBy = $"formatters built into the runner for {library} {libraryVersion}";
            return null;
        }
        else if (IsTorchSharpBackend(Name) && host.Packages.TryGetValue("TorchSharp", out hostVersion))
            providedBy = $"TorchSharp {hostVersion} ({BackendOf(host) ?? "backend unknown"})";
        else return NotProvided(host);

        if (!VersionMatches(Version, hostVersion))
            return $"the notebook asks for NuGet package {Name} {Version}, but NotebookRunner provides {providedBy}. " +
                   $"Change the #r line to \"nuget: {Name}, {hostVersion}\" (the runner cannot load a second version).";
        return null;
    }

    string NotProvided(HostEnvironment host)
    {
        var offered = host.Packages.Keys
            .Where(k => k is "TorchSharp" or "Plotly.NET" or "Plotly.NET.CSharp" or "Deedle" or "FSharp.Core" || k.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k, StringComparer.OrdinalIgnoreCase)
            .Select(k => $"{k} {host.Packages[k]}");
        return $"the notebook asks for NuGet package {this}, which NotebookRunner does not provide; the headless runner " +
               "cannot download packages. Add a PackageReference to lib/NotebookRunner (or lib/Compression) and rebuild. " +
               $"Provided: {string.Join(", ", offered)}.";
    }

    /// <summary>.NET Interactive extension packages whose only job the runner does itself, by the library they format.</summary>
    static readonly Dictionary<string, string> FormatterExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Plotly.NET.Interactive"] = "Plotly.NET",
        ["Deedle.DotNetInteractive"] = "Deedle",
    };

    static bool IsTorchSharpBackend(string name) => name.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase);

    static string? BackendOf(HostEnvironment host) =>
        host.Packages.Keys.FirstOrDefault(k => IsTorchSharpBackend(k));

    static bool VersionMatches(string? requested, string hostVersion)
    {
        if (requested is null or "*" or "*-*") return true;
        var wanted = requested.Trim().TrimStart('[').TrimEnd(']').Trim();
        if (wanted.EndsWith('*')) return hostVersion.StartsWith(wanted[..^1], StringComparison.OrdinalIgnoreCase);
        return string.Equals(wanted, hostVersion, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A directive or magic command in a cell that the headless runner cannot honour.</summary>
public sealed class DirectiveException(string message, int line = 0) : Exception(message)
{
    /// <summary>1-based line in the cell; 0 when not tied to a line.</summary>
    public int Line { get; } = line;
}
