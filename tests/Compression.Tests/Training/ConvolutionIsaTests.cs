// The per-machine choice of oneDNN's instruction set: `Experiments check-convolution` (the probe's judge) and
// environment/onednn-isa.sh (the probe), the latter driven by a stand-in for dotnet whose verdict the test decides.
using System.Diagnostics;
using Compression.Tests.CommandLine;
using Compression.Tests.Format;

namespace Compression.Tests.Training;

public class ConvolutionIsaTests
{
    [Fact]
    public void CheckConvolutionPassesUnderSse41AndSaysWhatItMeasured()
    {
        var r = Tools.Run(Tools.Experiments, Path.GetTempPath(), ["check-convolution", "--threads", "1"],
                          new Dictionary<string, string> { ["ONEDNN_MAX_CPU_ISA"] = "SSE41" });
        Assert.True(r.Code == 0, r.Out + r.Err);
        Assert.StartsWith("ok", r.Out);
        Assert.Contains("ONEDNN_MAX_CPU_ISA=SSE41", r.Out);
    }

    [Fact]
    public void ProbeTakesTheFirstInstructionSetWhoseConvolutionsAreRightAndCachesIt()
    {
        using var folder = new Sandbox();
        folder.FakeDotnet("""[ "$ONEDNN_MAX_CPU_ISA" = AVX ] && exit 0; exit 1""");
        Assert.Equal("AVX", folder.Probe());
        Assert.Equal(["ALL", "AVX2", "AVX"], folder.Calls());
        folder.FakeDotnet("exit 0");                        // a cached answer is not probed again
        Assert.Equal("AVX", folder.Probe());
        Assert.Empty(folder.Calls());
    }

    [Fact]
    public void ProbeFallsBackToSse41WhenEveryFastSetIsWrong()
    {
        using var folder = new Sandbox();
        folder.FakeDotnet("exit 1");
        Assert.Equal("SSE41", folder.Probe());
    }

    [Fact]
    public void AProbeThatCannotRunGivesSse41AndIsNotCached()
    {
        using var folder = new Sandbox();
        folder.FakeDotnet("exit 3");
        Assert.Equal("SSE41", folder.Probe());
        folder.FakeDotnet("exit 0");
        Assert.Equal("ALL", folder.Probe());
    }

    [Fact]
    public void TheEnvironmentsValueWinsAndAnUnbuiltProgramGivesSse41()
    {
        using var folder = new Sandbox();
        folder.FakeDotnet("exit 0");
        Assert.Equal("AVX2", folder.Probe(environmentIsa: "AVX2"));
        Assert.Empty(folder.Calls());
        Assert.Equal("SSE41", folder.Probe(experiments: Path.Combine(folder.Path, "missing.dll")));
        Assert.Empty(folder.Calls());
    }

    sealed class Sandbox : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("onednn-isa-").FullName;
        string Script => System.IO.Path.Combine(Path, "environment", "onednn-isa.sh");
        string Dotnet => System.IO.Path.Combine(Path, "fake-dotnet");
        string Log => System.IO.Path.Combine(Path, "calls.log");

        public Sandbox()
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Script)!);
            File.Copy(System.IO.Path.Combine(CommittedFiles.Root, "environment", "onednn-isa.sh"), Script);
            File.WriteAllText(System.IO.Path.Combine(Path, "Experiments.dll"), "");
        }

        /// <summary>A stand-in for dotnet that logs the instruction set it was started with, then runs <paramref name="verdict"/>.</summary>
        public void FakeDotnet(string verdict)
        {
            File.WriteAllText(Dotnet, $"#!/usr/bin/env bash\necho \"$ONEDNN_MAX_CPU_ISA\" >> \"{Log}\"\n{verdict}\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Delete(Log);
        }

        public string[] Calls() => File.Exists(Log) ? File.ReadAllLines(Log) : [];

        public string Probe(string? environmentIsa = null, string? experiments = null)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Script, experiments ?? System.IO.Path.Combine(Path, "Experiments.dll"), Dotnet }) start.ArgumentList.Add(a);
            start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
            if (environmentIsa != null) start.Environment["ONEDNN_MAX_CPU_ISA"] = environmentIsa;
            using var p = Process.Start(start)!;
            string output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return output.Trim();
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
