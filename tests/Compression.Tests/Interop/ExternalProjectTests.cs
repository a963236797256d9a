// A project outside the repository uses the library the way the README says: `make pack` makes the local packages
// Reproduce.Compression and Reproduce.Datasets, the project references Reproduce.Compression (and nothing of TorchSharp
// itself), builds, and runs libtorch, a weights round trip and the decoding of a committed compressed file. On a
// system whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04) the package's buildTransitive targets must
// have patched the project's copy of TorchSharp's native library; the same project built without them cannot load
// TorchSharp (the control that shows the test can fail). Packs with a version of its own and removes it afterwards.
// In `make test`; alone: `make test-external`.
using System.Diagnostics;
using Compression.Tests.Format;
using Xunit.Abstractions;

namespace Compression.Tests.Interop;

[Trait("Category", "External")]
public class ExternalProjectTests(ITestOutputHelper output)
{
    static (int Code, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        // what the test host sets for itself must not steer the builds started here
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(8))) { p.Kill(entireProcessTree: true); Assert.Fail($"dotnet {string.Join(" ", args)} did not finish in 8 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    const string Program = """
        using Compression.Format;
        using Compression.Interop;
        using Compression.Methods;
        using Compression.Models;
        using static TorchSharp.torch;

        var architecture = new LeNet300100();
        manual_seed(1);
        using var network = architecture.NewNetwork();
        using var logits = network.Logits(randn(4, 1, 28, 28));
        Console.WriteLine($"logits [{string.Join(", ", logits.shape)}]");
        WeightsFile.Export(network, "network.safetensors");
        using var back = WeightsFile.Import("network.safetensors", architecture);
        Console.WriteLine($"round trip exact: {network.BitwiseEquals(back, out _)}");
        var model = CompressedModelFile.Read(args[0]);
        using var decoded = CompressionMethods.Decode(model, Architectures.Create(model.Architecture));
        Console.WriteLine($"decoded {model.Method} {model.Architecture}: {decoded.Parameters.Sum(p => p.numel()):N0} values");
        """;

    [Fact]
    public void AProjectOutsideTheRepositoryReferencesThePackageAndRunsTorchSharp()
    {
        string root = CommittedFiles.Root;
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var work = Directory.CreateTempSubdirectory("external-project").FullName;
        Assert.False(work.StartsWith(root, StringComparison.Ordinal), "the project must live outside the repository");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var clock = Stopwatch.StartNew();
        try
        {
            // 1. the packages, as `make pack` makes them (from this build's output)
            var feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
            foreach (var project in new[] { "lib/Datasets", "lib/Compression" })
            {
                var (code, log) = Dotnet(root, "pack", project, "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}", "-nologo");
                Assert.True(code == 0, log);
            }
            output.WriteLine($"packed in {clock.Elapsed.TotalSeconds:F0} s");

            // 2. the project: a package reference and nothing else
            var app = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="reproduce-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Reproduce.Compression" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
            var (buildCode, buildLog) = Dotnet(app, "build", "-c", "Release", "-nologo");
            Assert.True(buildCode == 0, buildLog);
            output.WriteLine($"built in {clock.Elapsed.TotalSeconds:F0} s");

            // 3. it runs libtorch, the library's import/export and a decoder
            var committed = Path.Combine(root, "results", "epr-lenet300-100", "lenet300-100.epr");
            var (runCode, runLog) = Dotnet(app, Path.Combine("bin", "Release", "net10.0", "App.dll"), committed);
            Assert.True(runCode == 0, runLog);
            Assert.Contains("logits [4, 10]", runLog);
            Assert.Contains("round trip exact: True", runLog);
            Assert.Contains("decoded epr lenet300-100: 266,610 values", runLog);
            output.WriteLine($"ran in {clock.Elapsed.TotalSeconds:F0} s");

            // 4. where the system's libstdc++ lacks the version: the package's targets patched the project's copy, and without them TorchSharp does not load
            var system = LibStdCxxVersionFix.FindSystemLibStdCxx();
            Assert.NotNull(system);
            if (!LibStdCxxVersionFix.DefinesVersion(File.ReadAllBytes(system!), "GLIBCXX_3.4.32"))
            {
                Assert.Contains("libstdc++ fix: weakened GLIBCXX_3.4.32", buildLog);
                var library = Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", LibStdCxxVersionFix.LibraryFileName);
                Assert.True(LibStdCxxVersionFix.ReadVersionNeeds(File.ReadAllBytes(library)).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);

                var unpatched = Path.Combine(work, "unpatched");
                var (code, log) = Dotnet(app, "build", "-c", "Release", "-nologo", "-o", unpatched, "-p:_ReproduceLibStdCxxFixImported=true");
                Assert.True(code == 0, log);
                Assert.DoesNotContain("libstdc++ fix", log);
                var (controlCode, controlLog) = Dotnet(app, Path.Combine(unpatched, "App.dll"), committed);
                Assert.NotEqual(0, controlCode);
                Assert.DoesNotContain("round trip exact", controlLog);
                output.WriteLine($"control in {clock.Elapsed.TotalSeconds:F0} s: {controlLog.Split('\n')[0]}");
            }
            else output.WriteLine($"{system} defines GLIBCXX_3.4.32: nothing to patch here");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            foreach (var id in new[] { "reproduce.compression", "reproduce.datasets" })
            {
                var cached = Path.Combine(packages, id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
        }
    }
}
