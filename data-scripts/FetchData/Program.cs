// Fetches the data sets the notebooks need.
// Usage: FetchData [mnist] [cifar10 [--archive FILE | --from FOLDER]] [--data-dir DIR]
//        FetchData imagenet --train ARCHIVE_OR_FOLDER --val ARCHIVE_OR_FOLDER [--devkit ILSVRC2012_devkit_t12.tar.gz | --val-labels FILE] [--data-dir DIR]
// MNIST and CIFAR-10 are downloaded (checksums verified) unless already present; ImageNet is prepared from the user's
// own ILSVRC2012 files (see lib/Datasets/ImageNetPreparation.cs), since it cannot be downloaded without an account.
using Datasets;

var args_ = args.ToList();
string? Option(string name)
{
    int k = args_.IndexOf(name);
    if (k < 0) return null;
    if (k + 1 >= args_.Count) throw new ArgumentException($"{name} needs a value");
    var value = args_[k + 1];
    args_.RemoveRange(k, 2);
    return value;
}

string dataDir;
string? archive, from, train, val, valLabels, devkit;
try
{
    dataDir = Option("--data-dir") is { } d ? Path.GetFullPath(d) : DataDirectory.Default();
    archive = Option("--archive");
    from = Option("--from");
    train = Option("--train");
    val = Option("--val");
    valLabels = Option("--val-labels");
    devkit = Option("--devkit");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var sets = args_.Count == 0 ? new List<string> { "mnist" } : args_;
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
                if (string.IsNullOrEmpty(train) || string.IsNullOrEmpty(val))
                {
                    Console.Error.WriteLine("imagenet needs --train (ILSVRC2012_img_train.tar or a folder of <wnid>/ folders) and --val (ILSVRC2012_img_val.tar with --devkit or --val-labels, or a folder); " +
                                            "see README, section 'CIFAR-10 and ImageNet'");
                    return 2;
                }
                new ImageNetPreparation(Console.Out).Prepare(dataDir, train, val, string.IsNullOrEmpty(valLabels) ? null : valLabels, string.IsNullOrEmpty(devkit) ? null : devkit);
                break;
            default:
                Console.Error.WriteLine($"unknown data set '{set}' (known: mnist, cifar10, imagenet)");
                return 2;
        }
    }
    catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}
return 0;
