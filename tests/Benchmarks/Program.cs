// Benchmark entry point: `dotnet run -c Release --project tests/Benchmarks -- coder [--symbols N] [--repeats R] [--case TEXT]`
// or `-- epr [--steps N] [--threads T] [--model M]` (EPR training step against a plain one), `-- epr-profile [model]`,
// `-- vision [--steps N] [--model M]` (training images per second of the CIFAR-10 and ImageNet networks, ImageNet decoding),
// `-- miracle [--bits B]` (MIRACLE's candidate table and search on one core).
using Benchmarks;

var arguments = args.ToList();
if (arguments.Count == 0 || arguments[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Benchmarks coder [--symbols N] [--repeats R] [--case TEXT] [--out FILE]\n       Benchmarks epr [--steps N] [--threads T] [--model M] [--device D] [--data DIR] [--out FILE]\n       Benchmarks epr-profile [lenet300-100|lenet5-caffe]\n       Benchmarks vision [--steps N] [--cifar-batch B] [--imagenet-batch B] [--threads T] [--model M] [--device D] [--out FILE]\n       Benchmarks miracle [--bits B] [--repeats R] [--out FILE]");
    return arguments.Count == 0 ? 1 : 0;
}
switch (arguments[0])
{
    case "coder":
        return CoderBenchmark.Run(arguments.Skip(1).ToArray());
    case "layers":
        return LayerProfile.Run(arguments.Skip(1).ToArray());
    case "epr-profile":
        return EprProfile.Run(arguments.Skip(1).ToArray());
    case "epr":
        return EprStepBenchmark.Run(arguments.Skip(1).ToArray());
    case "vision":
        return VisionBenchmark.Run(arguments.Skip(1).ToArray());
    case "miracle":
        return MiracleBenchmark.Run(arguments.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"unknown benchmark '{arguments[0]}'; known: coder, epr, epr-profile, vision, miracle");
        return 1;
}
