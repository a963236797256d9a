// libtorch's generator, thread count and grad mode are process-wide: tests that train must not interleave
// (a parallel run once corrupted an Adam step of the EPR smoke test), so this suite runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
