// The command line (`Experiments decompress`, `Experiments inspect`) run as a user runs it: compressed files in,
// weight files out that import to exactly the decoded network; bad files are each reported and skipped, the good ones
// still written, and the exit code says that something failed.
using System.Diagnostics;
using Compression.Format;
using Compression.Interop;
using Compression.Methods;
using Compression.Models;
using Compression.Tests.Format;

namespace Compression.Tests.Interop;

public class DecompressCommandTests
{
    static (int Code, string Out, string Err) Experiments(params string[] args)
    {
        // the build configuration of this test assembly (bin/<Configuration>/net10.0/) is the command line's too
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string dll = Path.Combine(CommittedFiles.Root, "lib", "Experiments", "bin", configuration, "net10.0", "Experiments.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built (make build builds the whole solution)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CommittedFiles.Root };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "the command line did not finish in 3 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    static string Committed(string run, string file) => Path.Combine(CommittedFiles.Root, "results", run, file);

    [Fact]
    public void DecompressesIntoWeightsThatImportToTheDecodedNetwork()
    {
        var dir = Directory.CreateTempSubdirectory("decompress").FullName;
        var source = Committed("sws-lenet5-caffe", "model.eprc");
        var (code, stdout, stderr) = Experiments("decompress", source, "--out", Path.Combine(dir, "lenet5.pt"));
        Assert.True(code == 0, stderr);
        Assert.Contains("Soft weight-sharing lenet5-caffe, 8 tensors, 431,080 values", stdout);

        var architecture = new LeNet5Caffe();
        using var decoded = CompressionMethods.Decode(CompressedModelFile.Read(source), architecture);
        using var imported = WeightsFile.Import(Path.Combine(dir, "lenet5.pt"), architecture);
        Assert.True(decoded.BitwiseEquals(imported, out var first), first);

        // --model names the architecture when the file's is not registered: a wrong one is a clear error
        (code, _, stderr) = Experiments("decompress", source, "--model", "lenet300-100", "--out", Path.Combine(dir, "wrong.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains(source, stderr);
        Assert.False(File.Exists(Path.Combine(dir, "wrong.safetensors")));
    }

    [Fact]
    public void EachBadFileIsReportedAndTheRestAreWritten()
    {
        var dir = Directory.CreateTempSubdirectory("decompress-bad").FullName;
        var random = Path.Combine(dir, "random.eprc");
        File.WriteAllBytes(random, Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11)).ToArray());
        var empty = Path.Combine(dir, "empty.eprc");
        File.WriteAllBytes(empty, []);
        var cut = Path.Combine(dir, "cut.eprc");
        File.WriteAllBytes(cut, File.ReadAllBytes(Committed("sws-lenet300-100", "model.eprc"))[..3000]);
        var folder = Directory.CreateDirectory(Path.Combine(dir, "folder.eprc")).FullName;
        var missing = Path.Combine(dir, "missing.eprc");
        var good = Committed("epr-lenet300-100", "lenet300-100.epr");
        var output = Path.Combine(dir, "out");

        var (code, stdout, stderr) = Experiments("decompress", random, empty, good, cut, folder, missing, "--out", output, "--format", "dat");
        Assert.Equal(1, code);
        foreach (var bad in new[] { random, empty, cut, folder, missing })
            Assert.Contains(bad + ": ", stderr);
        Assert.Contains("5 of 6 files failed", stderr);
        Assert.DoesNotContain("Exception", stderr);       // reasons, not stack traces
        Assert.Contains($"{good} -> {Path.Combine(output, "lenet300-100.dat")}", stdout);
        using var imported = WeightsFile.Import(Path.Combine(output, "lenet300-100.dat"), new LeNet300100());
        using var decoded = CompressionMethods.Decode(CompressedModelFile.Read(good), new LeNet300100());
        Assert.True(decoded.BitwiseEquals(imported, out var first), first);

        (code, stdout, stderr) = Experiments("inspect", random, good, folder, missing);
        Assert.Equal(1, code);
        Assert.Contains("3 of 4 files failed", stderr);
        Assert.Contains($"{folder}: a folder, not a file", stderr);
        Assert.Contains("method epr (EPR), architecture lenet300-100", stdout);
    }
}
