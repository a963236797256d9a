// The shared parser in-process: what each form of option means, and every way it refuses a command line.
using StrictCli;

namespace Compression.Tests.CommandLine;

public class OptionsTests
{
    [Fact]
    public void ReadsValuesFlagsAndPositionalArguments()
    {
        var o = Options.Parse(["a.eprc", "--lambda", "0.5", "--steps=10", "--keep-checkpoints", "--seed", "-3", "--", "--b.eprc"], "keep-checkpoints", "dry-run");
        Assert.Equal(0.5, o.Double("lambda", min: 0));
        Assert.Equal(10, o.Long("steps", min: 1));
        Assert.Equal(-3, o.Long("seed"));
        Assert.True(o.Flag("keep-checkpoints"));
        Assert.False(o.Flag("dry-run"));
        Assert.Null(o.Get("out"));
        Assert.Equal(["a.eprc", "--b.eprc"], o.Positional);
        o.RejectUnknown("test"); // everything given was read
        Assert.False(Options.Parse(["--keep-checkpoints=false"], "keep-checkpoints").Flag("keep-checkpoints"));
        Assert.Equal("cpu", Options.Parse(["--DEVICE", "CPU"]).Choice("device", "auto", "cpu", "cuda"));
        Assert.Equal([1.0, 2.5, 0], Options.Parse(["--lambdas", "1, 2.5,0"]).Doubles("lambdas", min: 0)!);
        Assert.Equal(-1.5, Options.Parse(["-1.5"]).Positional.Select(double.Parse).Single()); // a negative number is no option
    }

    [Fact]
    public void UnknownOptionsAreFoundAfterTheCommandReadItsOwn()
    {
        var o = Options.Parse(["--lamda", "1", "--steps", "2"]);
        o.Double("lambda");
        o.Long("steps");
        var e = Assert.Throws<UsageException>(() => o.RejectUnknown("epr"));
        Assert.Equal("unknown option --lamda for epr (did you mean --lambda?)", e.Message);
        // declared without being read: known
        var p = Options.Parse(["--data", "d"]).Allow("data");
        p.RejectUnknown("inspect");
        // nothing near: no suggestion
        Assert.Equal("unknown option --zzzzzz for x", Assert.Throws<UsageException>(() => Options.Parse(["--zzzzzz", "1"]).RejectUnknown("x")).Message);
    }

    [Theory]
    [InlineData(new[] { "--steps" }, "--steps needs a value")]
    [InlineData(new[] { "--steps", "--lambda", "1" }, "--steps needs a value")]
    [InlineData(new[] { "--a", "1", "--A", "2" }, "--A is given twice")]
    [InlineData(new[] { "-x" }, "unknown option '-x' (options are spelled --name)")]
    [InlineData(new[] { "--=3" }, "'--=3' names no option")]
    [InlineData(new[] { "--flag=maybe" }, "--flag takes true or false, not 'maybe'")]
    public void MalformedCommandLinesAreRefusedWhenParsed(string[] args, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => Options.Parse(args, "flag")).Message);

    [Theory]
    [InlineData("abc", "--x takes a number >= 0, not 'abc'")]
    [InlineData("1,5", "--x takes a number >= 0, not '1,5'")]  // invariant culture: no decimal comma
    [InlineData("Infinity", "--x takes a number >= 0, not 'Infinity'")]
    [InlineData("-0.001", "--x takes a number >= 0, not -0.001")]
    [InlineData("", "--x takes a number >= 0, not ''")]
    public void NumbersAreWholeFiniteAndInRange(string text, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => Options.Parse(["--x=" + text]).Double("x", min: 0)).Message);

    [Fact]
    public void BoundsAreInclusiveOrExclusiveAsStated()
    {
        Assert.Equal(0, Values.Double("--d", "0", min: 0, max: 1));
        Assert.Equal(1, Values.Double("--d", "1", min: 0, max: 1));
        Assert.Throws<UsageException>(() => Values.Double("--d", "0", min: 0, minExclusive: true));
        Assert.Throws<UsageException>(() => Values.Double("--d", "1", max: 1, maxExclusive: true));
        Assert.Equal(5, Values.Long("--n", "5", min: 5, max: 5));
        Assert.Equal("--n takes a whole number from 5 to 6, not 7", Assert.Throws<UsageException>(() => Values.Long("--n", "7", min: 5, max: 6)).Message);
        Assert.Equal("--n takes a whole number >= 1, not '9223372036854775808'", Assert.Throws<UsageException>(() => Values.Long("--n", "9223372036854775808", min: 1)).Message);
        Assert.Equal("--i takes a whole number <= 3, not 4", Assert.Throws<UsageException>(() => Values.Int("--i", "4", max: 3)).Message);
        Assert.Throws<UsageException>(() => Values.Int("--i", "3000000000"));
    }

    [Fact]
    public void PositionalCountsAreBounded()
    {
        Options.Parse(["a"]).AtMostPositional(1, "verify", "folder");
        Assert.Equal("verify takes at most 1 folder; 'b' is one too many", Assert.Throws<UsageException>(() => Options.Parse(["a", "b"]).AtMostPositional(1, "verify", "folder")).Message);
        Assert.Equal("epr takes no arguments, not 'a'", Assert.Throws<UsageException>(() => Options.Parse(["a"]).AtMostPositional(0, "epr", "arguments")).Message);
    }

    [Fact]
    public void SuggestionsAreWithinTwoEdits()
    {
        Assert.Equal(1, Values.Distance("lamda", "lambda"));
        Assert.Equal(1, Values.Distance("sww", "sws"));
        Assert.Equal(3, Values.Distance("kitten", "sitting"));
        Assert.Equal(" (did you mean lambda?)", Values.Suggestion("LAMDA", ["steps", "lambda"]));
        Assert.Equal("", Values.Suggestion("xyz", ["lambda"]));
        Assert.Throws<InvalidOperationException>(() => Options.Parse([]).Flag("undeclared"));
    }
}
