// `verify`: every results/**/summary.json is checked against the file beside it: the file's length must be
// compressed_bytes, the method in the file must be the summary's, and the decoded network's error on the
// 10,000 MNIST test images (CPU) must be the summary's test_error.
using Compression.Epr;
using Compression.Format;
using Compression.Models;

namespace Compression.Reporting;

public sealed record VerifiedRun(string Directory, string Method, string Model, long Bytes, long ExpectedBytes, double Error, double ExpectedError, string? Problem)
{
    public bool Ok => Problem is null;
}

public static class Verification
{
    /// <summary>Checks one results directory (holding summary.json).</summary>
    public static VerifiedRun Verify(string directory, string dataDir)
    {
        var summary = RunSummary.Read(directory);
        string path = Path.Combine(directory, summary.CompressedFile);
        if (!File.Exists(path)) return new(directory, summary.Method, summary.Model, -1, summary.CompressedBytes, double.NaN, summary.TestError, $"{summary.CompressedFile} is missing");
        long length = new FileInfo(path).Length;
        try
        {
            var model = CompressedModelFile.Read(path);
            if (!string.Equals(model.Method, summary.Method, StringComparison.OrdinalIgnoreCase))
                return new(directory, summary.Method, summary.Model, length, summary.CompressedBytes, double.NaN, summary.TestError, $"file says method '{model.Method}'");
            var architecture = Architecture.ById(summary.Model);
            var parameters = MethodDecoders.Decode(summary.Method, model, architecture);
            double error = EprExperiment.DecodedError(architecture, parameters, dataDir);
            string? problem = null;
            if (length != summary.CompressedBytes) problem = $"file has {length} bytes, summary says {summary.CompressedBytes}";
            else if (Math.Round(error * 10000) != Math.Round(summary.TestError * 10000)) problem = $"decoded error {error:P2}, summary says {summary.TestError:P2}";
            return new(directory, summary.Method, summary.Model, length, summary.CompressedBytes, error, summary.TestError, problem);
        }
        catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException or CorruptModelFileException)
        {
            return new(directory, summary.Method, summary.Model, length, summary.CompressedBytes, double.NaN, summary.TestError, e.Message);
        }
    }

    /// <summary>All summary.json files below <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Find(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "summary.json", SearchOption.AllDirectories).Select(f => Path.GetDirectoryName(f)!).Order(StringComparer.Ordinal).ToList()
            : [];
}
