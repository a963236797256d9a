// Lets the tests and the benchmark reach the coder's internal fast paths and test hooks.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Compression.Tests")]
[assembly: InternalsVisibleTo("Benchmarks")]
