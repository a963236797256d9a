// verify, decompress and inspect on hostile files (valid checksums, past the container: the method bombs), beside
// good ones: each bad file or run is reported on its own line, the good ones are still done, the exit code says that
// something failed, and nothing crashes (no unhandled exception, no stack trace).
using Compression.Tests.Data;
using Compression.Tests.Format;
using Compression.Tests.Fuzzing;

namespace Compression.Tests.CommandLine;

[Trait("Category", "CommandLine")]
public class BadFilesTests
{
    static readonly string[] BombNames = ["EPR: 2^28 symbols declared for fc1.weight", "SWS: 30,000 escape-only 16-bit tables", "EPR: unknown transform byte 9"];

    static (string Dir, string[] Bombs, string Good) Files()
    {
        var dir = Directory.CreateTempSubdirectory("bad-files-").FullName;
        var bombs = Bombs.ForMethods().Where(b => BombNames.Contains(b.Name)).Select((b, i) =>
        {
            var path = Path.Combine(dir, $"bomb{i}.eprc");
            File.WriteAllBytes(path, b.File);
            return path;
        }).ToArray();
        Assert.Equal(BombNames.Length, bombs.Length);
        var good = Path.Combine(dir, "good.epr");
        File.Copy(Path.Combine(CommittedFiles.Root, "results", "epr-lenet300-100", "lenet300-100.epr"), good);
        return (dir, bombs, good);
    }

    static void AssertNoCrash(Tools.Result r)
    {
        Assert.DoesNotContain("Unhandled exception", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("   at ", r.Out);
    }

    [Fact]
    public void InspectAndDecompressReportEachBombAndGoOn()
    {
        var (dir, bombs, good) = Files();
        try
        {
            // inspect reads the container and decodes the bitstreams (not the methods' parameters): the declared 2^28 symbols are its bomb
            var r = Tools.Run(Tools.Experiments, dir, ["inspect", bombs[0], good]);
            AssertNoCrash(r);
            Assert.Equal(1, r.Code);
            Assert.Contains(bombs[0] + ": ", r.Err);
            Assert.Contains("1 of 2 files failed", r.Err);
            Assert.Contains("method epr (EPR), architecture lenet300-100", r.Out);
            // inspect decodes no more than the network the file names holds
            Assert.Contains("more than the 266,610 the network holds", r.Err);

            var output = Path.Combine(dir, "out");
            r = Tools.Run(Tools.Experiments, dir, ["decompress", .. bombs, good, "--out", output]);
            AssertNoCrash(r);
            Assert.Equal(1, r.Code);
            foreach (var b in bombs) Assert.Contains(b + ": ", r.Err);
            Assert.Contains("at byte", r.Err); // offsets of the fields at fault
            Assert.Contains("3 of 4 files failed", r.Err);
            Assert.True(File.Exists(Path.Combine(output, "good.safetensors")));
            Assert.Single(Directory.GetFiles(output));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void VerifyReportsEachBadRunAndGoesOn()
    {
        var (dir, bombs, good) = Files();
        try
        {
            var results = Path.Combine(dir, "results");
            var source = Path.Combine(CommittedFiles.Root, "results", "epr-lenet300-100");
            string Run(string name, byte[]? file)
            {
                var run = Directory.CreateDirectory(Path.Combine(results, name)).FullName;
                File.Copy(Path.Combine(source, "summary.json"), Path.Combine(run, "summary.json"));
                if (file is not null) File.WriteAllBytes(Path.Combine(run, "lenet300-100.epr"), file);
                return run;
            }
            Run("a-good", File.ReadAllBytes(good));
            Run("b-bomb", File.ReadAllBytes(bombs[0]));
            Run("c-missing", null);
            var broken = Run("d-summary", File.ReadAllBytes(good));
            File.WriteAllText(Path.Combine(broken, "summary.json"), "{ not json");
            var r = Tools.Run(Tools.Experiments, dir, ["verify", results, "--data", TestData.MnistDataDirectory]);
            AssertNoCrash(r);
            Assert.Equal(1, r.Code);
            var lines = r.Out.Split('\n');
            Assert.Contains(lines, l => l.StartsWith("ok   ") && l.Contains("a-good"));
            Assert.Contains(lines, l => l.StartsWith("FAIL") && l.Contains("b-bomb") && l.Contains("fc1.weight"));
            Assert.Contains(lines, l => l.StartsWith("FAIL") && l.Contains("c-missing") && l.Contains("missing"));
            Assert.Contains(lines, l => l.StartsWith("FAIL") && l.Contains("d-summary"));
            Assert.Contains("1/4 verified", r.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
