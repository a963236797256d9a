// f(phi) = scale * phi + shift with one learned scale and shift per group (the paper's f_dense, and its
// f_conv and f_bias for MNIST). The scale is trained as a log-scale so it stays positive; stored as float32.
using System.Buffers.Binary;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Epr;

public sealed class ScalarAffineDecoder : ParameterDecoder
{
    public Parameter LogScale { get; }
    public Parameter Shift { get; }

    public ScalarAffineDecoder(double initialScale, double initialShift = 0, Device? device = null)
    {
        if (!(initialScale > 0)) throw new ArgumentOutOfRangeException(nameof(initialScale));
        LogScale = new Parameter(tensor(new[] { (float)Math.Log(initialScale) }, device: device));
        Shift = new Parameter(tensor(new[] { (float)initialShift }, device: device));
        LogScale.DetachFromDisposeScope();
        Shift.DetachFromDisposeScope();
        Parameters = [LogScale, Shift];
    }

    public override int Columns => 1;
    public override IReadOnlyList<Parameter> Parameters { get; }

    public override Tensor Decode(Tensor latent) => latent * LogScale.exp() + Shift;

    public override Tensor Encode(Tensor theta) => (theta - Shift) / LogScale.exp();

    public override FrozenDecoder Freeze()
    {
        using var no = no_grad();
        using var scale = LogScale.exp();
        return new FrozenScalarAffine(scale.cpu().item<float>(), Shift.cpu().item<float>());
    }
}

public sealed class FrozenScalarAffine(float scale, float shift) : FrozenDecoder
{
    public float Scale { get; } = scale;
    public float ShiftValue { get; } = shift;

    public override DecoderKind Kind => DecoderKind.ScalarAffine;
    public override int Columns => 1;

    public override byte[] ToBytes()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(0, 4), Scale);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4, 4), ShiftValue);
        return bytes;
    }

    public static FrozenScalarAffine FromBytes(byte[] bytes)
    {
        if (bytes.Length != 8) throw new InvalidDataException($"scalar affine decoder: expected 8 bytes, got {bytes.Length}");
        return new FrozenScalarAffine(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(0, 4)), BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4, 4)));
    }

    public override Tensor Decode(Tensor latent)
    {
        using var scale = tensor(new[] { Scale }, device: latent.device);
        using var shift = tensor(new[] { ShiftValue }, device: latent.device);
        using var values = latent.to(float32);
        using var scaled = values * scale; // mul takes no Scalar; the add's alpha is owned (DecodingArithmetic)
        return DecodingArithmetic.Add(scaled, shift);
    }
}
