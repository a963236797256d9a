// Fetches the data sets the notebooks need. Exit codes: 0 done, 1 a fetch or preparation failed, 2 a bad command line.
// Usage: FetchData [mnist] [cifar10 [--archive FILE | --from FOLDER]] [--data-dir DIR]
//        FetchData imagenet --train ARCHIVE_OR_FOLDER --val ARCHIVE_OR_FOLDER [--devkit ILSVRC2012_devkit_t12.tar.gz | --val-labels FILE] [--data-dir DIR]
// MNIST and CIFAR-10 are downloaded (checksums verified) unless already present; ImageNet is prepared from the user's
// own ILSVRC2012 files (see lib/Datasets/ImageNetPreparation.cs), since it cannot be downloaded without an account.
using Datasets;
using StrictCli;

string dataDir;
string? archive, from, train, val, valLabels, devkit;
List<string> sets;
string[] known = ["mnist", "cifar10", "imagenet"];
try
{
    // strict (lib/CommandLine): an unknown option or data set, a missing value, an option for a data set not asked
    // for are exit 2 with one line, before anything is fetched or created
    var o = Options.Parse(args);
    dataDir = o.Get("data-dir") is { } d ? Path.GetFullPath(d) : DataDirectory.Default();
    archive = o.Get("archive");
    from = o.Get("from");
    train = o.Get("train");
    val = o.Get("val");
    valLabels = o.Get("val-labels");
    devkit = o.Get("devkit");
    o.RejectUnknown("FetchData");
    sets = o.Positional.Count == 0 ? ["mnist"] : o.Positional;
    foreach (var set in sets)
        if (!known.Contains(set)) throw new UsageException($"unknown data set '{set}'{Values.Suggestion(set, known)} (known: {string.Join(", ", known)})");
    if (sets.Distinct().Count() != sets.Count) throw new UsageException("a data set is named twice");
    if ((archive ?? from) is not null && !sets.Contains("cifar10")) throw new UsageException("--archive and --from are for cifar10 (FetchData cifar10 --archive FILE)");
    if (archive is not null && from is not null) throw new UsageException("cifar10: give --archive or --from, not both");
    if ((train ?? val ?? valLabels ?? devkit) is not null && !sets.Contains("imagenet"))
        throw new UsageException("--train, --val, --devkit and --val-labels are for imagenet (FetchData imagenet --train ... --val ...)");
    if (sets.Contains("imagenet") && (string.IsNullOrEmpty(train) || string.IsNullOrEmpty(val)))
        throw new UsageException("imagenet needs --train (ILSVRC2012_img_train.tar or a folder of <wnid>/ folders) and --val (ILSVRC2012_img_val.tar with --devkit " +
                                 "or --val-labels, or a folder); see README, section 'CIFAR-10 and ImageNet'");
}
catch (UsageException e)
{
    Console.Error.WriteLine($"FetchData: {e.Message}");
    return UsageException.ExitCode;
}
foreach (var set in sets)
{
    try
    {
        switch (set)
        {
            case "mnist":
                await MnistFetcher.Default(Console.Out).FetchAsync(dataDir);
                break;
            case "cifar10":
                await Cifar10Fetcher.Default(Console.Out).FetchAsync(dataDir, string.IsNullOrEmpty(archive) ? null : archive, string.IsNullOrEmpty(from) ? null : from);
                break;
            case "imagenet":
                new ImageNetPreparation(Console.Out).Prepare(dataDir, train!, val!, string.IsNullOrEmpty(valLabels) ? null : valLabels, string.IsNullOrEmpty(devkit) ? null : devkit);
                break;
        }
    }
    catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}
return 0;
