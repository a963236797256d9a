// `verify`: every results/**/summary.json is checked against the file beside it: the file's length must be
// compressed_bytes, the method in the file must be the summary's, and the decoded network's error on the data set's
// test examples (CPU, one thread) must be the summary's test_error. The method decoder, the architecture and the data
// set come from their registries by the names the summary and the file store.
using Compression.Data;
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Compression.Training;

namespace Compression.Runs;

public sealed record VerifiedRun(string Directory, string Method, string Model, long Bytes, long ExpectedBytes, double Error, double ExpectedError, string? Problem)
{
    public bool Ok => Problem is null;
}

public static class Verification
{
    /// <summary>Checks one results directory (holding summary.json); data sets are loaded once per name through <paramref name="data"/>.</summary>
    public static VerifiedRun Verify(string directory, Func<string, IDataset> data)
    {
        var summary = RunSummary.Read(directory);
        string path = Path.Combine(directory, summary.CompressedFile);
        VerifiedRun Fail(long length, string problem) => new(directory, summary.Method, summary.Model, length, summary.CompressedBytes, double.NaN, summary.TestError, problem);
        if (!File.Exists(path)) return Fail(-1, $"{summary.CompressedFile} is missing");
        long length = new FileInfo(path).Length;
        try
        {
            var model = CompressedModelFile.Read(path);
            if (!string.Equals(model.Method, summary.Method, StringComparison.OrdinalIgnoreCase)) return Fail(length, $"file says method '{model.Method}'");
            if (!string.Equals(model.Architecture, summary.Model, StringComparison.OrdinalIgnoreCase)) return Fail(length, $"file says architecture '{model.Architecture}'");
            var architecture = Architectures.Create(model.Architecture);
            using var decoded = CompressionMethods.Decode(model, architecture);
            double error = Evaluation.TestError(decoded, data(summary.Dataset));
            string? problem = null;
            if (length != summary.CompressedBytes) problem = $"file has {length} bytes, summary says {summary.CompressedBytes}";
            else if (Math.Round(error * 10000) != Math.Round(summary.TestError * 10000)) problem = $"decoded error {error:P2}, summary says {summary.TestError:P2}";
            return new(directory, summary.Method, summary.Model, length, summary.CompressedBytes, error, summary.TestError, problem);
        }
        catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException or CorruptModelFileException or IOException
                                       or OutOfMemoryException or System.Runtime.InteropServices.ExternalException)
        {
            return Fail(length, e.Message.Split('\n')[0]);
        }
    }

    /// <summary>All summary.json files below <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Find(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "summary.json", SearchOption.AllDirectories).Select(f => Path.GetDirectoryName(f)!).Order(StringComparer.Ordinal).ToList()
            : [];
}
