// A checkpointed training that hits a native libtorch failure runs again (and so resumes); others fail loudly.
using System.Runtime.InteropServices;
using Compression.Training;

namespace Compression.Tests.Training;

public class NativeFailuresTests
{
    [Fact]
    public void RetriesANativeFailureWhenThereIsACheckpoint()
    {
        int calls = 0;
        var log = new StringWriter();
        int result = NativeFailures.Retry(() => ++calls < 3 ? throw new ExternalException("Unknown scalar type.\nframe #0") : 42, "run.ckpt", log);
        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Contains("Unknown scalar type", log.ToString());
        Assert.Contains("retry 2 of 3", log.ToString());
    }

    [Fact]
    public void GivesUpAfterMaxRetries()
    {
        int calls = 0;
        Assert.Throws<ExternalException>(() => NativeFailures.Retry<int>(() => { calls++; throw new ExternalException("boom"); }, "run.ckpt", TextWriter.Null));
        Assert.Equal(NativeFailures.MaxRetries + 1, calls);
    }

    [Fact]
    public void WithoutACheckpointOrForOtherErrorsNothingIsRetried()
    {
        int calls = 0;
        Assert.Throws<ExternalException>(() => NativeFailures.Retry<int>(() => { calls++; throw new ExternalException("boom"); }, null, TextWriter.Null));
        Assert.Equal(1, calls);
        calls = 0;
        Assert.Throws<InvalidDataException>(() => NativeFailures.Retry<int>(() => { calls++; throw new InvalidDataException("bad checkpoint"); }, "run.ckpt", TextWriter.Null));
        Assert.Equal(1, calls);
    }
}
