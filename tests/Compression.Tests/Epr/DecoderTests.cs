// Parameter decoders: decode and encode are inverse maps, straight-through rounding, and the frozen form
// (what the file stores) decodes integer latents to exactly the values training saw.
using Compression.Epr;
using Compression.Grouping;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests.Epr;

public class DecoderTests
{
    static float MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void ScalarAffineDecodeInvertsEncode()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var d = new ScalarAffineDecoder(0.03, 0.1);
        var theta = randn(50, 1) * 0.1;
        using var no = no_grad();
        Assert.True(MaxDiff(d.Decode(d.Encode(theta)), theta) < 1e-6);
        var phi = randn(50, 1);
        Assert.True(MaxDiff(d.Decode(phi), phi * 0.03 + 0.1) < 1e-6);
    }

    [Theory]
    [InlineData(TransformKind.Identity)]
    [InlineData(TransformKind.Dft)]
    [InlineData(TransformKind.RandomOrthogonal)]
    public void TransformDecodeInvertsEncode(TransformKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var d = new TransformAffineDecoder(kind, 9, 0.05, seed: 7);
        var theta = randn(20, 9) * 0.2;
        using var no = no_grad();
        Assert.True(MaxDiff(d.Decode(d.Encode(theta)), theta) < 1e-5);
    }

    [Fact]
    public void DftDecoderMapsTheFirstCoefficientToAConstantFilter()
    {
        using var scope = NewDisposeScope();
        using var d = new TransformAffineDecoder(TransformKind.Dft, 9, 1.0);
        var phi = zeros(1, 9);
        phi[0, 0] = tensor(3f);
        using var no = no_grad();
        var kernel = d.Decode(phi);
        Assert.True(MaxDiff(kernel, full(1, 9, 1.0f)) < 1e-6); // 3 * (1/3)
    }

    [Fact]
    public void StraightThroughRoundsForwardAndPassesGradientsUnchanged()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.7f, -0.4f, 0.49f, 0.51f, 2.5f, 3.2f }).requires_grad_();
        var y = StraightThrough.Round(x);
        Assert.Equal(x.detach().round().data<float>().ToArray(), y.detach().data<float>().ToArray());
        var upstream = tensor(new[] { 1f, -2f, 3f, 0.5f, 7f, -1f });
        (y * upstream).sum().backward();
        Assert.Equal(upstream.data<float>().ToArray(), x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void FrozenScalarDecoderReproducesTrainingValuesBitForBit()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var d = new ScalarAffineDecoder(0.0371, -0.002);
        var phi = (randn(1000, 1) * 5).requires_grad_();
        var training = d.Decode(StraightThrough.Round(phi)).detach();
        var frozen = FrozenDecoder.FromBytes(DecoderKind.ScalarAffine, d.Freeze().ToBytes());
        var decoded = frozen.Decode(phi.detach().round().to(int32));
        Assert.Equal(training.data<float>().ToArray(), decoded.data<float>().ToArray());
    }

    [Theory]
    [InlineData(TransformKind.Dft)]
    [InlineData(TransformKind.RandomOrthogonal)]
    public void FrozenTransformDecoderReproducesTrainingValuesBitForBit(TransformKind kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var d = new TransformAffineDecoder(kind, 9, 0.02, seed: 11);
        using (no_grad()) { d.LogScale.add_(randn(9) * 0.1); d.Shift.add_(randn(9) * 0.01); }
        var phi = randn(64, 9) * 3;
        var training = d.Decode(StraightThrough.Round(phi)).detach();
        var bytes = d.Freeze().ToBytes();
        Assert.Equal(2 + (kind == TransformKind.RandomOrthogonal ? 4 : 0) + 72, bytes.Length);
        var decoded = FrozenDecoder.FromBytes(DecoderKind.TransformAffine, bytes).Decode(phi.round().to(int32));
        Assert.Equal(training.data<float>().ToArray(), decoded.data<float>().ToArray());
    }
}
