// The ELF edit behind the libstdc++ fix, on a fresh copy of the NuGet cache's library.
namespace Compression.Tests;

public class LibStdCxxVersionFixTests
{
    static string PristineLibrary()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibStdCxxVersionFix.LibraryFileName);
        Assert.True(File.Exists(path), $"TorchSharp's native library not found at {path}");
        return path;
    }

    /// <summary>A stand-in libstdc++ defining every version the library needs, except those listed.</summary>
    static string FakeLibStdCxx(string dir, string library, params string[] lacking)
    {
        var path = Path.Combine(dir, "libstdc++.so.6");
        var versions = LibStdCxxVersionFix.ReadVersionNeeds(File.ReadAllBytes(library)).Select(n => n.Version).Except(lacking);
        File.WriteAllText(path, "\0" + string.Join("\0", versions) + "\0");
        return path;
    }

    [Fact]
    public void WeakensOnlyTheMissingVersionAndIsIdempotent()
    {
        var dir = Directory.CreateTempSubdirectory("elf").FullName;
        var lib = Path.Combine(dir, LibStdCxxVersionFix.LibraryFileName);
        File.Copy(PristineLibrary(), lib);
        var system = FakeLibStdCxx(dir, lib, "GLIBCXX_3.4.32");
        var before = LibStdCxxVersionFix.ReadVersionNeeds(File.ReadAllBytes(lib));
        var target = Assert.Single(before, n => n.Version == "GLIBCXX_3.4.32");
        Assert.False(target.IsWeak);
        Assert.Equal(["_ZSt21ios_base_library_initv"], LibStdCxxVersionFix.SymbolsOfVersion(File.ReadAllBytes(lib), target.Index));

        var first = LibStdCxxVersionFix.Apply(lib, system);
        Assert.Equal(["GLIBCXX_3.4.32"], first.Weakened);
        var after = LibStdCxxVersionFix.ReadVersionNeeds(File.ReadAllBytes(lib));
        Assert.True(after.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(after.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.Equal(before.Single(b => b.FlagsOffset == n.FlagsOffset).Flags, n.Flags));

        var bytes = File.ReadAllBytes(lib);
        var second = LibStdCxxVersionFix.Apply(lib, system);
        Assert.Empty(second.Weakened);
        Assert.Equal(bytes, File.ReadAllBytes(lib));
        // exactly one byte differs from the pristine file
        var pristine = File.ReadAllBytes(PristineLibrary());
        Assert.Equal(1, pristine.Zip(bytes).Count(p => p.First != p.Second));
    }

    [Fact]
    public void LeavesTheLibraryAloneWhenTheSystemHasTheVersion()
    {
        var dir = Directory.CreateTempSubdirectory("elf").FullName;
        var lib = Path.Combine(dir, LibStdCxxVersionFix.LibraryFileName);
        File.Copy(PristineLibrary(), lib);
        var system = FakeLibStdCxx(dir, lib);
        var outcome = LibStdCxxVersionFix.Apply(lib, system);
        Assert.Empty(outcome.Weakened);
        Assert.Equal(File.ReadAllBytes(PristineLibrary()), File.ReadAllBytes(lib));
    }

    [Fact]
    public void RefusesToWeakenAVersionThatRealFunctionsNeed()
    {
        var dir = Directory.CreateTempSubdirectory("elf").FullName;
        var lib = Path.Combine(dir, LibStdCxxVersionFix.LibraryFileName);
        File.Copy(PristineLibrary(), lib);
        var system = FakeLibStdCxx(dir, lib, "GLIBCXX_3.4.32", "CXXABI_1.3.13");
        var e = Assert.Throws<InvalidOperationException>(() => LibStdCxxVersionFix.Apply(lib, system));
        Assert.Contains("CXXABI_1.3.13", e.Message);
        Assert.Equal(File.ReadAllBytes(PristineLibrary()), File.ReadAllBytes(lib));
    }

    [Fact]
    public void RejectsFilesThatAreNotElf()
    {
        Assert.Throws<InvalidDataException>(() => LibStdCxxVersionFix.ReadVersionNeeds(new byte[100]));
        Assert.Throws<InvalidDataException>(() => LibStdCxxVersionFix.ReadVersionNeeds([0x7f, (byte)'E', (byte)'L', (byte)'F']));
    }
}
