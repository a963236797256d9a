// Every class of bad command line, for each tool: exit 2, exactly one line on stderr saying what is wrong, and
// nothing created (the tool runs in an empty folder, its default output folders relative to it, and the folder
// stays empty). The data errors name the fix.
namespace Compression.Tests.CommandLine;

[Trait("Category", "CommandLine")]
public class CommandLineTests
{
    static (Tools.Result Result, string[] Created) RunInEmptyFolder(string dll, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("cli-").FullName;
        try
        {
            // REPRO_DATA points at an empty data folder inside: a run that got past its checks would find no MNIST, but
            // could create its output folder first; none may
            var data = Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            var result = Tools.Run(dll, dir, args.Select(a => a.Replace("{dir}", dir)), new Dictionary<string, string> { ["REPRO_DATA"] = data });
            var created = Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Where(p => p != data)
                .Select(p => Path.GetRelativePath(dir, p)).ToArray();
            return (result, created);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static void AssertRejected(string dll, string[] args, string expected)
    {
        var (r, created) = RunInEmptyFolder(dll, args);
        string call = string.Join(' ', args);
        Assert.True(r.Code == 2, $"{call}: exit {r.Code}, stderr: {r.Err}");
        Assert.True(r.ErrLines.Length == 1, $"{call}: {r.ErrLines.Length} lines on stderr:\n{r.Err}");
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
        Assert.Empty(created);
    }

    public static TheoryData<string[], string> BadExperiments => new()
    {
        // unknown option, with the near one suggested
        { ["epr", "--model", "lenet300-100", "--lamda", "0.2", "--out", "out"], "unknown option --lamda for compress --method epr (did you mean --lambda?)" },
        // an option of the other method
        { ["sws", "--model", "lenet300-100", "--lambda", "0.2"], "unknown option --lambda for compress --method sws" },
        { ["sws", "--model", "lenet300-100", "--concurrent-rate"], "unknown option --concurrent-rate for compress --method sws" },
        // missing value, at the end and before another option
        { ["epr", "--model", "lenet300-100", "--steps"], "--steps needs a value" },
        { ["epr", "--model", "lenet300-100", "--steps", "--lambda", "1"], "--steps needs a value" },
        // malformed numbers
        { ["epr", "--model", "lenet300-100", "--lambda", "abc"], "--lambda takes a number >= 0, not 'abc'" },
        { ["epr", "--model", "lenet300-100", "--steps", "1.5"], "--steps takes a whole number >= 1, not '1.5'" },
        { ["epr", "--model", "lenet300-100", "--lambda", "NaN"], "--lambda takes a number >= 0, not 'NaN'" },
        { ["sweep", "--model", "lenet300-100", "--lambdas", "1,x"], "--lambdas takes a number >= 0, not 'x'" },
        // out of range
        { ["epr", "--model", "lenet300-100", "--lambda", "-1"], "--lambda takes a number >= 0, not -1" },
        { ["epr", "--model", "lenet300-100", "--steps", "0"], "--steps takes a whole number >= 1, not 0" },
        { ["sws", "--model", "lenet300-100", "--pi0", "1"], "--pi0 takes a number above 0 below 1, not 1" },
        { ["epr", "--model", "lenet300-100", "--budget", "smoke", "--validation", "2000"], "--validation 2000 holds out every training example of budget smoke (2,000); give fewer" },
        { ["sws", "--model", "lenet300-100", "--budget", "smoke", "--validation", "2048"], "--validation 2048 holds out every training example of budget smoke (2,048); give fewer" },
        { ["epr", "--model", "lenet300-100", "--validation", "60000"], "--validation takes a whole number from 0 to 59999, not 60000" },
        { ["epr", "--model", "lenet300-100", "--threads", "99999999999"], "--threads takes a whole number from 1 to 4096" },
        // a choice outside its set
        { ["epr", "--model", "lenet300-100", "--budget", "fast"], "--budget takes smoke, quick or paper, not 'fast'" },
        { ["epr", "--model", "lenet300-100", "--device", "tpu"], "--device takes auto, cpu or cuda, not 'tpu'" },
        // repeated option, stray argument, single-dash word, unknown command, missing required option
        { ["epr", "--model", "lenet300-100", "--lambda", "1", "--lambda", "2"], "--lambda is given twice" },
        { ["epr", "--model", "lenet300-100", "stray"], "compress --method epr takes no positional arguments, not 'stray'" },
        { ["epr", "--model", "lenet300-100", "-l", "1"], "unknown option '-l'" },
        { ["compres", "--model", "lenet300-100"], "unknown command 'compres' (did you mean compress?)" },
        { ["compress", "--model", "lenet300-100"], "--method is required" },
        { ["compress", "--method", "sww", "--model", "lenet300-100"], "--method sww: the command line trains epr, sws, miracle, ec (did you mean sws?)" },
        { ["verify", "a", "b"], "verify takes at most 1 results folder" },
        { ["inspect", "--full", "x.eprc"], "unknown option --full for inspect" },
        { ["decompress", "x.eprc", "--format", "onnx"], "--format takes safetensors, pt, torchsharp" },
        // the model and the data, with the fix named
        { ["epr", "--model", "nosuch", "--out", "out"], "--model nosuch: no such model; use one of lenet300-100, lenet5-caffe" },
        { ["epr", "--model", "lenet300-100", "--data", "{dir}/nowhere", "--out", "out"], "make data DATA={dir}/nowhere" },
        { ["sws", "--model", "lenet5-caffe", "--out", "out"], "run `make data` to fetch MNIST" },
    };

    [Theory]
    [MemberData(nameof(BadExperiments))]
    public void ExperimentsRejectsBadCommandLines(string[] args, string expected)
    {
        if (expected.Contains("{dir}"))
        {
            // the message names the folder the run would have used
            var (r, created) = RunInEmptyFolder(Tools.Experiments, args);
            Assert.Equal(2, r.Code);
            Assert.Single(r.ErrLines);
            Assert.Matches(@"make data DATA=\S*/nowhere", r.Err);
            Assert.Empty(created);
            return;
        }
        AssertRejected(Tools.Experiments, args, expected);
    }

    public static TheoryData<string[], string> BadFetchData => new()
    {
        { ["--dta", "x"], "unknown option --dta for FetchData" },
        { ["mnst"], "unknown data set 'mnst' (did you mean mnist?)" },
        { ["--data-dir"], "--data-dir needs a value" },
        { ["mnist", "--archive", "a.tgz"], "--archive and --from are for cifar10" },
        { ["cifar10", "--archive", "a.tgz", "--from", "f"], "give --archive or --from, not both" },
        { ["imagenet", "--train", "t"], "imagenet needs --train" },
        { ["mnist", "mnist"], "a data set is named twice" },
    };

    [Theory]
    [MemberData(nameof(BadFetchData))]
    public void FetchDataRejectsBadCommandLines(string[] args, string expected) => AssertRejected(Tools.FetchData, args, expected);

    public static TheoryData<string[], string> BadNotebookRunner => new()
    {
        { ["bench", "--cells", "abc"], "--cells takes a whole number from 1 to 100000, not 'abc'" },
        { ["bench", "--cells", "0"], "--cells takes a whole number from 1 to 100000, not 0" },
        { ["run", "n.ipynb", "--output", "o.ipynb", "--timeout-per-cell", "-3"], "--timeout-per-cell takes a number above 0 to 86400, not -3" },
        { ["run", "n.ipynb", "--output"], "--output needs a value" },
        { ["run", "n.ipynb", "--output", "a.ipynb", "--output", "b.ipynb"], "--output is given twice" },
        { ["run", "n.ipynb", "--outptu", "a.ipynb"], "unknown option '--outptu'" },
        { ["frobnicate"], "unknown command 'frobnicate'" },
    };

    [Theory]
    [MemberData(nameof(BadNotebookRunner))]
    public void NotebookRunnerRejectsBadCommandLines(string[] args, string expected) => AssertRejected(Tools.NotebookRunner, args, expected);
}
