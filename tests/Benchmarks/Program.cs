// Benchmark entry point: `dotnet run -c Release --project tests/Benchmarks -- coder [--symbols N] [--repeats R] [--case TEXT]`
// or `-- epr [--steps N] [--threads T] [--model M]` (EPR training step against a plain one).
using Benchmarks;

var arguments = args.ToList();
if (arguments.Count == 0 || arguments[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Benchmarks coder [--symbols N] [--repeats R] [--case TEXT] [--out FILE]\n       Benchmarks epr [--steps N] [--threads T] [--model M] [--device D] [--data DIR] [--out FILE]");
    return arguments.Count == 0 ? 1 : 0;
}
switch (arguments[0])
{
    case "coder":
        return CoderBenchmark.Run(arguments.Skip(1).ToArray());
    case "epr":
        return EprStepBenchmark.Run(arguments.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"unknown benchmark '{arguments[0]}'; known: coder, epr");
        return 1;
}
