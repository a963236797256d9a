// summary.json of a finished run under results/<experiment>/: what was run, the real file's size and
// the decoded model's test error, so `make verify` can check both against the committed file.
using System.Text.Json;
using System.Text.Json.Serialization;
using Datasets;

namespace Compression.Runs;

public sealed record SizePart(string Part, string Group, long Bytes);

public sealed record RunSummary
{
    public required string Experiment { get; init; }
    public required string Method { get; init; }
    public required string Model { get; init; }
    public string Dataset { get; init; } = "mnist";
    public required string Budget { get; init; }
    public required double Lambda { get; init; }
    /// <summary>File name of the compressed model beside summary.json.</summary>
    public required string CompressedFile { get; init; }
    /// <summary>Length of that file in bytes.</summary>
    public required long CompressedBytes { get; init; }
    public required IReadOnlyList<SizePart> SizeBreakdown { get; init; }
    public required double SelfInformationBits { get; init; }
    /// <summary>Error of the decoded model on the test set, a fraction.</summary>
    public required double TestError { get; init; }
    public required long UncompressedBytes { get; init; }
    public required long Iterations { get; init; }
    public required long Seed { get; init; }
    public required double WallSeconds { get; init; }
    public required string Device { get; init; }
    public IReadOnlyDictionary<string, string> Versions { get; init; } = LibraryVersions();
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();
    /// <summary>Things a reader must know about this result (e.g. post-processing cost more accuracy than allowed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public double CompressionRatio => (double)UncompressedBytes / CompressedBytes;

    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static RunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, Options) ?? throw new InvalidDataException("empty summary.json");

    public void Write(string directory) => AtomicFile.WriteAllText(Path.Combine(directory, "summary.json"), ToJson() + "\n");

    public static RunSummary Read(string directory)
    {
        var path = Path.Combine(directory, "summary.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no summary.json", path);
        try { return FromJson(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid summary ({e.Message})", e); }
    }

    public static IReadOnlyDictionary<string, string> LibraryVersions() => new Dictionary<string, string>
    {
        ["dotnet"] = Environment.Version.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?",
        ["libtorch"] = TorchSharp.torch.__version__,
        ["compression"] = typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "?",
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}
