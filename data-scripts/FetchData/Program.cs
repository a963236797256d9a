// Fetches the data sets the notebooks need. Usage: FetchData mnist [--data-dir DIR]
using Datasets;

var args_ = args.ToList();
string dataDir = DataDirectory.Default();
int i = args_.IndexOf("--data-dir");
if (i >= 0)
{
    if (i + 1 >= args_.Count) { Console.Error.WriteLine("--data-dir needs a folder"); return 2; }
    dataDir = Path.GetFullPath(args_[i + 1]);
    args_.RemoveRange(i, 2);
}
var sets = args_.Count == 0 ? new List<string> { "mnist" } : args_;
foreach (var set in sets)
{
    switch (set)
    {
        case "mnist":
            try { await MnistFetcher.Default(Console.Out).FetchAsync(dataDir); }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            break;
        default:
            Console.Error.WriteLine($"unknown data set '{set}' (known: mnist)");
            return 2;
    }
}
return 0;
