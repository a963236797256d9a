// ImageNet (ILSVRC2012) from the user's own files, laid out as <data>/imagenet/{train,val}/<wnid>/<image>, with
// classes.txt (the 1,000 WordNet ids, sorted: line k is class k, as torchvision's ImageFolder numbers them) and
// MANIFEST.tsv (split, wnid, path, bytes, SHA-256 of every image), written last and atomically. Inputs:
//   train: ILSVRC2012_img_train.tar (a tar of <wnid>.tar files, each a tar of <wnid>_<n>.JPEG), or a folder of
//          <wnid>/ folders (an extracted copy);
//   val:   ILSVRC2012_img_val.tar (50,000 ILSVRC2012_val_<n>.JPEG, flat) with its labels from ILSVRC2012_devkit_t12.tar.gz
//          (--devkit: meta.mat and the ground-truth file), or from --val-labels (lines "ILSVRC2012_val_00000001.JPEG
//          n01751748", or Kaggle's LOC_val_solution.csv); or a folder of <wnid>/ folders.
// Every name is checked (wnid n + 8 digits; image names of letters, digits, '_', '-', '.'; nothing from an archive is
// used as a path otherwise), every image must start like a JPEG (FF D8 FF) or a PNG (one ILSVRC2012 training image
// is a PNG named .JPEG), validation images must all have labels and train and val the same classes. Images are
// written through temporary names; a rerun keeps those already in place with the right length.
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Datasets;

public sealed partial class ImageNetPreparation(TextWriter log)
{
    public const string FolderName = "imagenet", ManifestName = "MANIFEST.tsv", ClassesName = "classes.txt";
    public static readonly string[] Splits = ["train", "val"];

    /// <summary>The command that prepares the data, for error messages.</summary>
    public const string PrepareCommand = "make data-imagenet IMAGENET_TRAIN=<ILSVRC2012_img_train.tar or folder> IMAGENET_VAL=<ILSVRC2012_img_val.tar or folder> [IMAGENET_DEVKIT=<ILSVRC2012_devkit_t12.tar.gz> | IMAGENET_VAL_LABELS=<file>]";

    [GeneratedRegex("^n[0-9]{8}$")] private static partial Regex WnidPattern();
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")] private static partial Regex ImageNamePattern();

    public static string DirectoryFor(string dataDir) => Path.Combine(dataDir, FolderName);

    public static bool IsWnid(string s) => WnidPattern().IsMatch(s);

    /// <summary>Prepares both splits and writes classes.txt and MANIFEST.tsv; returns the manifest.</summary>
    public ImageNetManifest Prepare(string dataDir, string train, string val, string? valLabels = null, string? devkit = null)
    {
        if (devkit != null && valLabels != null) throw new ArgumentException("give the validation labels once: --val-labels or --devkit");
        var root = DirectoryFor(dataDir);
        Directory.CreateDirectory(root);
        var entries = new List<ImageNetEntry>();
        entries.AddRange(PrepareSplit(root, "train", train, null));
        var labels = valLabels is not null ? ReadValidationLabels(valLabels) : devkit is not null ? ReadDevkitLabels(devkit) : null;
        entries.AddRange(PrepareSplit(root, "val", val, labels));
        var trainClasses = entries.Where(e => e.Split == "train").Select(e => e.Wnid).ToHashSet();
        var valClasses = entries.Where(e => e.Split == "val").Select(e => e.Wnid).ToHashSet();
        if (trainClasses.Count == 0) throw new InvalidDataException($"{train}: no training images found");
        if (valClasses.Count == 0) throw new InvalidDataException($"{val}: no validation images found");
        var onlyVal = valClasses.Except(trainClasses).ToList();
        if (onlyVal.Count > 0) throw new InvalidDataException($"validation classes without training images: {string.Join(", ", onlyVal.Take(5))}{(onlyVal.Count > 5 ? ", ..." : "")}");
        var classes = trainClasses.Order(StringComparer.Ordinal).ToList();
        var source = $"train {Path.GetFullPath(train)}; val {Path.GetFullPath(val)}{(valLabels is null ? "" : $"; labels {Path.GetFullPath(valLabels)}")}{(devkit is null ? "" : $"; labels from {Path.GetFullPath(devkit)}")}";
        var manifest = new ImageNetManifest(source, classes, entries);
        manifest.Write(dataDir);
        log.WriteLine($"ImageNet: {entries.Count(e => e.Split == "train"):N0} training and {entries.Count(e => e.Split == "val"):N0} validation images of {classes.Count} classes in {root}");
        return manifest;
    }

    IEnumerable<ImageNetEntry> PrepareSplit(string root, string split, string input, IReadOnlyDictionary<string, string>? labels)
    {
        var result = new List<ImageNetEntry>();
        if (Directory.Exists(input))
        {
            foreach (var classDir in Directory.GetDirectories(input).Order(StringComparer.Ordinal))
            {
                var wnid = Path.GetFileName(classDir);
                if (!IsWnid(wnid)) throw new InvalidDataException($"{classDir}: not a WordNet id folder (n + 8 digits); a {split} folder holds one folder per class");
                foreach (var file in Directory.GetFiles(classDir).Order(StringComparer.Ordinal))
                {
                    using var stream = File.OpenRead(file);
                    result.Add(Store(root, split, wnid, Path.GetFileName(file), stream, file));
                }
            }
            if (result.Count == 0 && Directory.GetFiles(input).Length > 0)
                throw new InvalidDataException($"{input}: holds images but no <wnid>/ folders; give the flat validation images as ILSVRC2012_img_val.tar with --val-labels");
        }
        else if (File.Exists(input))
        {
            using var stream = File.OpenRead(input);
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory) continue;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    throw new InvalidDataException($"{input}: entry '{entry.Name}' is not a regular file");
                var name = Path.GetFileName(entry.Name);
                if (split == "train")
                {
                    // ILSVRC2012_img_train.tar holds one tar per class.
                    if (!name.EndsWith(".tar", StringComparison.Ordinal) || !IsWnid(name[..^4]))
                        throw new InvalidDataException($"{input}: entry '{entry.Name}' is not <wnid>.tar (is this ILSVRC2012_img_train.tar?)");
                    var wnid = name[..^4];
                    using var inner = new TarReader(entry.DataStream);
                    while (inner.GetNextEntry() is { } image)
                    {
                        if (image.EntryType is TarEntryType.Directory) continue;
                        if (image.DataStream is null) throw new InvalidDataException($"{input}/{name}: entry '{image.Name}' has no data");
                        result.Add(Store(root, split, wnid, Path.GetFileName(image.Name), image.DataStream, $"{input}/{name}/{image.Name}"));
                    }
                }
                else
                {
                    if (labels is null)
                        throw new ArgumentException($"{input}: a flat validation archive needs its labels: --devkit <ILSVRC2012_devkit_t12.tar.gz> (IMAGENET_DEVKIT=...) or --val-labels <file> (IMAGENET_VAL_LABELS=...)");
                    if (!labels.TryGetValue(name, out var wnid)) throw new InvalidDataException($"{input}: {name} has no label in the validation labels");
                    result.Add(Store(root, split, wnid, name, entry.DataStream, $"{input}/{entry.Name}"));
                }
            }
            if (split == "val" && labels != null && result.Count != labels.Count)
                throw new InvalidDataException($"{input}: {result.Count:N0} validation images, the labels list {labels.Count:N0}");
        }
        else throw new FileNotFoundException($"{input}: no such file or folder (the {split} images: an ILSVRC2012 archive or a folder of <wnid>/ folders); {PrepareCommand}", input);
        var duplicates = result.GroupBy(e => e.Path).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new InvalidDataException($"{input}: {duplicates[0]} appears twice");
        log.WriteLine($"ImageNet: {split}: {result.Count:N0} images from {input}");
        return result;
    }

    /// <summary>Copies one image to &lt;root&gt;/&lt;split&gt;/&lt;wnid&gt;/&lt;name&gt; through a temporary name, hashing it on the way.</summary>
    static ImageNetEntry Store(string root, string split, string wnid, string name, Stream data, string origin)
    {
        if (!IsWnid(wnid)) throw new InvalidDataException($"{origin}: class '{wnid}' is not a WordNet id");
        if (!ImageNamePattern().IsMatch(name) || name.Length > 200) throw new InvalidDataException($"{origin}: '{name}' is not an image file name");
        var relative = $"{split}/{wnid}/{name}";
        var path = Path.Combine(root, split, wnid, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var part = path + ".part";
        using var sha = SHA256.Create();
        long length = 0;
        var head = new byte[4];
        int headLength = 0;
        using (var output = File.Create(part))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = data.Read(buffer)) > 0)
            {
                if (headLength < 4) { int k = Math.Min(4 - headLength, n); Array.Copy(buffer, 0, head, headLength, k); headLength += k; }
                sha.TransformBlock(buffer, 0, n, null, 0);
                output.Write(buffer, 0, n);
                length += n;
            }
        }
        sha.TransformFinalBlock([], 0, 0);
        bool jpeg = headLength >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
        bool png = headLength >= 4 && head[0] == 0x89 && head[1] == 0x50 && head[2] == 0x4E && head[3] == 0x47;
        if (!jpeg && !png)
        {
            File.Delete(part);
            throw new InvalidDataException($"{origin}: not a JPEG or PNG image ({length} bytes starting {Convert.ToHexString(head, 0, headLength)})");
        }
        AtomicFile.Commit(part, path);
        return new ImageNetEntry(split, wnid, relative, length, Convert.ToHexStringLower(sha.Hash!));
    }

    /// <summary>
    /// Validation labels from ILSVRC2012_devkit_t12.tar.gz: data/meta.mat's synsets (ILSVRC2012_ID 1..1000 -> WNID) and
    /// data/ILSVRC2012_validation_ground_truth.txt (the ID of validation image k on line k).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadDevkitLabels(string devkit)
    {
        if (!File.Exists(devkit)) throw new FileNotFoundException($"{devkit}: no such file (ILSVRC2012_devkit_t12.tar.gz)", devkit);
        byte[]? meta = null, truth = null;
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(devkit), System.IO.Compression.CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                if (entry.Name.EndsWith("data/meta.mat", StringComparison.Ordinal)) meta = ReadAll(entry.DataStream);
                else if (entry.Name.EndsWith("data/ILSVRC2012_validation_ground_truth.txt", StringComparison.Ordinal)) truth = ReadAll(entry.DataStream);
            }
        if (meta is null || truth is null) throw new InvalidDataException($"{devkit}: lacks data/meta.mat or data/ILSVRC2012_validation_ground_truth.txt (is it ILSVRC2012_devkit_t12.tar.gz?)");
        var synsets = MatFile.Read(meta, $"{devkit}:meta.mat").GetValueOrDefault("synsets")?.Elements
                      ?? throw new InvalidDataException($"{devkit}: meta.mat has no struct array 'synsets'");
        var wnids = new Dictionary<int, string>();
        foreach (var synset in synsets)
        {
            if (!synset.TryGetValue("ILSVRC2012_ID", out var id) || id.Numbers is not { Length: 1 } || !synset.TryGetValue("WNID", out var wnid) || wnid.Text is null)
                throw new InvalidDataException($"{devkit}: a synset without ILSVRC2012_ID or WNID");
            if (!IsWnid(wnid.Text)) throw new InvalidDataException($"{devkit}: synset WNID '{wnid.Text}' is not a WordNet id");
            wnids[(int)id.Numbers[0]] = wnid.Text;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int k = 0;
        foreach (var line in Encoding.ASCII.GetString(truth).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            k++;
            if (!int.TryParse(line, out int id) || !wnids.TryGetValue(id, out var wnid))
                throw new InvalidDataException($"{devkit}: ground truth line {k} ('{line}') is not a synset id of meta.mat");
            labels[$"ILSVRC2012_val_{k:D8}.JPEG"] = wnid;
        }
        if (labels.Count == 0) throw new InvalidDataException($"{devkit}: the ground truth is empty");
        return labels;
    }

    static byte[] ReadAll(Stream s)
    {
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>Validation labels: "&lt;image&gt; &lt;wnid&gt;" per line, or Kaggle's LOC_val_solution.csv ("ImageId,wnid x y x y ...").</summary>
    public static IReadOnlyDictionary<string, string> ReadValidationLabels(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such validation labels file", path);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("ImageId", StringComparison.Ordinal))) continue;
            string image, wnid;
            if (line.Contains(','))
            {
                var f = line.Split(',', 2);
                image = f[0].EndsWith(".JPEG", StringComparison.Ordinal) ? f[0] : f[0] + ".JPEG";
                wnid = f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            }
            else
            {
                var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (f.Length != 2) throw new InvalidDataException($"{path}:{lineNumber}: expected '<image> <wnid>', got '{line}'");
                (image, wnid) = (Path.GetFileName(f[0]), f[1]);
            }
            if (!IsWnid(wnid)) throw new InvalidDataException($"{path}:{lineNumber}: '{wnid}' is not a WordNet id");
            if (!labels.TryAdd(image, wnid) && labels[image] != wnid) throw new InvalidDataException($"{path}:{lineNumber}: {image} is labelled twice, differently");
        }
        if (labels.Count == 0) throw new InvalidDataException($"{path}: no labels");
        return labels;
    }
}

/// <summary>One prepared image: split, class, path relative to &lt;data&gt;/imagenet, length and SHA-256.</summary>
public sealed record ImageNetEntry(string Split, string Wnid, string Path, long Bytes, string Sha256);

/// <summary>MANIFEST.tsv and classes.txt of a prepared ImageNet folder.</summary>
public sealed record ImageNetManifest(string Source, IReadOnlyList<string> Classes, IReadOnlyList<ImageNetEntry> Entries)
{
    const string SourcePrefix = "# source: ";

    public IEnumerable<ImageNetEntry> Split(string split) => Entries.Where(e => e.Split == split);

    public void Write(string dataDir)
    {
        var root = ImageNetPreparation.DirectoryFor(dataDir);
        AtomicFile.WriteAllText(Path.Combine(root, ImageNetPreparation.ClassesName), string.Join("\n", Classes) + "\n");
        var text = new StringBuilder().Append(SourcePrefix).Append(Source).Append('\n').Append("split\twnid\tpath\tbytes\tsha256\n");
        foreach (var e in Entries) text.Append(e.Split).Append('\t').Append(e.Wnid).Append('\t').Append(e.Path).Append('\t').Append(e.Bytes).Append('\t').Append(e.Sha256).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(root, ImageNetPreparation.ManifestName), text.ToString());
    }

    /// <summary>Reads and checks classes.txt and MANIFEST.tsv (not the images: see <see cref="Verify"/>).</summary>
    public static ImageNetManifest Read(string dataDir)
    {
        var root = ImageNetPreparation.DirectoryFor(dataDir);
        var manifestPath = Path.Combine(root, ImageNetPreparation.ManifestName);
        var classesPath = Path.Combine(root, ImageNetPreparation.ClassesName);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"ImageNet is not prepared in {root} ({ImageNetPreparation.ManifestName} missing); ImageNet cannot be downloaded here: " +
                                            $"prepare it from your ILSVRC2012 files with {ImageNetPreparation.PrepareCommand}", manifestPath);
        if (!File.Exists(classesPath)) throw new FileNotFoundException($"{classesPath}: missing; prepare again with {ImageNetPreparation.PrepareCommand}", classesPath);
        var classes = File.ReadAllLines(classesPath).Where(l => l.Length > 0).ToList();
        if (classes.Count == 0 || classes.Any(c => !ImageNetPreparation.IsWnid(c)) || classes.Distinct().Count() != classes.Count)
            throw new InvalidDataException($"{classesPath}: not a list of distinct WordNet ids");
        var known = classes.ToHashSet();
        var lines = File.ReadAllLines(manifestPath);
        if (lines.Length < 2 || !lines[0].StartsWith(SourcePrefix, StringComparison.Ordinal)) throw new InvalidDataException($"{manifestPath}: not a manifest");
        var entries = new List<ImageNetEntry>(lines.Length);
        for (int i = 2; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split('\t');
            if (f.Length != 5 || !ImageNetPreparation.Splits.Contains(f[0]) || !known.Contains(f[1]) || !long.TryParse(f[3], out long bytes) || bytes <= 0 || f[4].Length != 64 ||
                f[2] != $"{f[0]}/{f[1]}/{Path.GetFileName(f[2])}" || f[2].Contains(".."))
                throw new InvalidDataException($"{manifestPath}:{i + 1}: malformed line '{lines[i]}'");
            entries.Add(new ImageNetEntry(f[0], f[1], f[2], bytes, f[4]));
        }
        return new ImageNetManifest(lines[0][SourcePrefix.Length..], classes, entries);
    }

    /// <summary>Checks every image's length and SHA-256 (minutes for the real data set); returns the problems found.</summary>
    public IReadOnlyList<string> Verify(string dataDir, int threads = 4)
    {
        var root = ImageNetPreparation.DirectoryFor(dataDir);
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(Entries, new ParallelOptions { MaxDegreeOfParallelism = threads }, e =>
        {
            var path = System.IO.Path.Combine(root, e.Path);
            if (!File.Exists(path)) { problems.Add($"{path}: missing"); return; }
            var bytes = File.ReadAllBytes(path);
            if (bytes.LongLength != e.Bytes) problems.Add($"{path}: {bytes.LongLength} bytes, the manifest says {e.Bytes}");
            else if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != e.Sha256) problems.Add($"{path}: SHA-256 differs from the manifest");
        });
        return problems.Order(StringComparer.Ordinal).ToList();
    }
}
