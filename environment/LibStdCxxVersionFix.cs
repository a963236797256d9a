// Makes TorchSharp 0.107's libLibTorchSharp.so load on systems whose libstdc++ is older than the one
// it was built against (Debian 12, Ubuntu 22.04: "GLIBCXX_3.4.32 not found").
//
// The library asks for GLIBCXX_3.4.32 for one symbol only, std::ios_base_library_init(), which GCC 13
// headers reference from every file that includes <iostream> and which no relocation uses. Marking that
// version requirement weak (VER_FLG_WEAK in its .gnu.version_r entry) lets the dynamic loader accept the
// library when the version is absent. The fix refuses to weaken a version that any other symbol needs,
// so it can never hide a real missing function.
//
// This file is compiled twice: by MSBuild as an inline task (Directory.Build.targets applies it to every
// build output that contains the library) and into the tests (with NO_MSBUILD_TASK defined). MSBuild
// compiles it against netstandard2.0, hence the plain C# (no records, no spans).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

public static class LibStdCxxVersionFix
{
    public const string LibraryFileName = "libLibTorchSharp.so";
    const ushort VerFlagWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtGnuVersym = 0x6fffffff;
    const uint ShtDynsym = 11;

    /// <summary>Symbols known to be harmless when their version is missing (referenced, never called).</summary>
    public static readonly ICollection<string> HarmlessSymbols = new HashSet<string> { "_ZSt21ios_base_library_initv" };

    /// <summary>One vernaux entry: a version of a needed file, with the offset of its flags in the file.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string version, ushort index, ushort flags, long flagsOffset)
        { File = file; Version = version; Index = index; Flags = flags; FlagsOffset = flagsOffset; }
        public string File { get; }
        public string Version { get; }
        public ushort Index { get; }
        public ushort Flags { get; }
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    public sealed class Outcome
    {
        public Outcome(IReadOnlyList<string> weakened, IReadOnlyList<string> alreadyWeak, string message)
        { Weakened = weakened; AlreadyWeak = alreadyWeak; Message = message; }
        public IReadOnlyList<string> Weakened { get; }
        public IReadOnlyList<string> AlreadyWeak { get; }
        public string Message { get; }
    }

    /// <summary>The libstdc++ the current process has loaded (the .NET runtime loads it), or a well-known path.</summary>
    public static string? FindSystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var i = line.IndexOf('/');
                if (i >= 0 && line.Contains("libstdc++.so")) return line.Substring(i).Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        foreach (var p in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
            if (File.Exists(p)) return p;
        return null;
    }

    /// <summary>True when the shared object defines the given version name (it appears as a NUL-terminated string).</summary>
    public static bool DefinesVersion(byte[] library, string version)
    {
        var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        for (int i = 0; i + needle.Length <= library.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && library[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Reads the version requirements (.gnu.version_r) of an ELF64 little-endian shared object.</summary>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] elf)
    {
        var sections = Sections(elf);
        var verneed = sections.FirstOrDefault(s => s.Type == ShtGnuVerneed)
            ?? throw new InvalidDataException("no .gnu.version_r section");
        var strtab = sections[(int)verneed.Link];
        var result = new List<VersionNeed>();
        long entry = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            Check(elf, entry, 16);
            ushort cnt = U16(elf, entry + 2);
            string file = Str(elf, strtab, U32(elf, entry + 4));
            long aux = entry + U32(elf, entry + 8);
            for (int a = 0; a < cnt; a++)
            {
                Check(elf, aux, 16);
                ushort flags = U16(elf, aux + 4);
                ushort other = U16(elf, aux + 6);
                string name = Str(elf, strtab, U32(elf, aux + 8));
                result.Add(new VersionNeed(file, name, other, flags, aux + 4));
                uint next = U32(elf, aux + 12);
                if (next == 0) break;
                aux += next;
            }
            uint vnNext = U32(elf, entry + 12);
            if (vnNext == 0) break;
            entry += vnNext;
        }
        return result;
    }

    /// <summary>Names of the dynamic symbols bound to a version index.</summary>
    public static IReadOnlyList<string> SymbolsOfVersion(byte[] elf, ushort versionIndex)
    {
        var sections = Sections(elf);
        var dynsym = sections.First(s => s.Type == ShtDynsym);
        var versym = sections.First(s => s.Type == ShtGnuVersym);
        var strtab = sections[(int)dynsym.Link];
        long count = dynsym.Size / 24;
        var names = new List<string>();
        for (long i = 0; i < count; i++)
        {
            Check(elf, versym.Offset + 2 * i, 2);
            if ((U16(elf, versym.Offset + 2 * i) & 0x7fff) != versionIndex) continue;
            names.Add(Str(elf, strtab, U32(elf, dynsym.Offset + 24 * i)));
        }
        return names;
    }

    /// <summary>
    /// Weakens, in place and atomically (temp file and rename), every libstdc++ version requirement of the
    /// library that the given libstdc++ does not define, provided only harmless symbols depend on it.
    /// Running it again changes nothing.
    /// </summary>
    public static Outcome Apply(string libraryPath, string systemLibStdCxx)
    {
        var elf = File.ReadAllBytes(libraryPath);
        var system = File.ReadAllBytes(systemLibStdCxx);
        var weakened = new List<string>();
        var alreadyWeak = new List<string>();
        foreach (var need in ReadVersionNeeds(elf))
        {
            if (!need.File.StartsWith("libstdc++", StringComparison.Ordinal)) continue;
            if (DefinesVersion(system, need.Version)) continue;
            if (need.IsWeak) { alreadyWeak.Add(need.Version); continue; }
            var symbols = SymbolsOfVersion(elf, need.Index);
            var harmful = symbols.Where(s => !HarmlessSymbols.Contains(s)).ToList();
            if (harmful.Count > 0)
                throw new InvalidOperationException(
                    $"{libraryPath} needs {need.Version}, which {systemLibStdCxx} lacks, for {string.Join(", ", harmful)}; " +
                    "this cannot be fixed by weakening the requirement. Install a newer libstdc++ (GCC 13 or later).");
            ushort flags = (ushort)(need.Flags | VerFlagWeak);
            elf[need.FlagsOffset] = (byte)flags;
            elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
            weakened.Add(need.Version);
        }
        if (weakened.Count > 0)
        {
            var temp = libraryPath + ".patching";
            File.WriteAllBytes(temp, elf);
            File.Replace(temp, libraryPath, null); // a rename: atomic, and it breaks any hard link to the NuGet cache
        }
        string message = weakened.Count > 0
            ? $"weakened {string.Join(", ", weakened)} in {libraryPath} (absent from {systemLibStdCxx})"
            : alreadyWeak.Count > 0 ? $"{libraryPath} already patched" : $"{libraryPath} needs no patch";
        return new Outcome(weakened, alreadyWeak, message);
    }

    sealed class Section
    {
        public Section(uint type, long offset, long size, uint link, uint info)
        { Type = type; Offset = offset; Size = size; Link = link; Info = info; }
        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    static List<Section> Sections(byte[] elf)
    {
        Check(elf, 0, 64);
        if (elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F') throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        long shoff = (long)U64(elf, 0x28);
        ushort shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        var list = new List<Section>();
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            Check(elf, h, 64);
            list.Add(new Section(U32(elf, h + 4), (long)U64(elf, h + 24), (long)U64(elf, h + 32), U32(elf, h + 40), U32(elf, h + 44)));
        }
        return list;
    }

    static void Check(byte[] b, long at, long len)
    {
        if (at < 0 || at + len > b.LongLength) throw new InvalidDataException("truncated ELF file");
    }

    static string Str(byte[] elf, Section strtab, uint index)
    {
        long start = strtab.Offset + index;
        Check(elf, start, 1);
        long end = start;
        while (end < elf.LongLength && elf[end] != 0) end++;
        return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
    }

    static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, (int)at);
    static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, (int)at);
    static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, (int)at);
}

#if !NO_MSBUILD_TASK
/// <summary>MSBuild task: patch every libLibTorchSharp.so under a build output directory.</summary>
public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, LibStdCxxVersionFix.LibraryFileName, SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        var system = LibStdCxxVersionFix.FindSystemLibStdCxx();
        if (system == null)
        {
            Log.LogWarning("libstdc++.so.6 not found; TorchSharp's native library was left as it is.");
            return true;
        }
        foreach (var lib in libraries)
        {
            try
            {
                var outcome = LibStdCxxVersionFix.Apply(lib, system);
                Log.LogMessage(outcome.Weakened.Count > 0 ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low,
                    "libstdc++ fix: " + outcome.Message);
            }
            catch (Exception e)
            {
                Log.LogError("libstdc++ fix failed for {0}: {1}", lib, e.Message);
                return false;
            }
        }
        return true;
    }
}
#endif
