// The affine decoder of a k x k convolution kernel seen as an l = k*k vector (the paper's f_conv for CIFAR and
// ImageNet): every latent row is scaled and shifted per coefficient, then mapped to the kernel by a fixed
// l x l matrix M (identity = SQ, inverse real DFT, or a seeded random orthogonal matrix):
//     theta_row = M (scale * phi_row + shift).
// M is fixed, as in the paper; only the 2l scale and shift values are learned and stored.
using System.Buffers.Binary;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using Compression.Grouping;

namespace Compression.Epr;

public sealed class TransformAffineDecoder : ParameterDecoder
{
    readonly Tensor matrix; // l x l, float32

    public TransformKind Transform { get; }
    public int Seed { get; }
    public Parameter LogScale { get; }
    public Parameter Shift { get; }

    public TransformAffineDecoder(TransformKind transform, int columns, double initialScale, int seed = 0, Device? device = null)
    {
        if (!(initialScale > 0)) throw new ArgumentOutOfRangeException(nameof(initialScale));
        Transform = transform;
        Seed = seed;
        Columns = columns;
        matrix = FrozenTransformAffine.MatrixTensor(transform, columns, seed, device);
        LogScale = new Parameter(full([columns], Math.Log(initialScale), device: device));
        Shift = new Parameter(zeros([columns], device: device));
        LogScale.DetachFromDisposeScope();
        Shift.DetachFromDisposeScope();
        Parameters = [LogScale, Shift];
    }

    public override int Columns { get; }
    public override IReadOnlyList<Parameter> Parameters { get; }

    public override Tensor Decode(Tensor latent) => matmul(latent * LogScale.exp() + Shift, matrix.t());

    /// <summary>M is orthonormal, so the coefficients of a row are M^T theta_row.</summary>
    public override Tensor Encode(Tensor theta) => (matmul(theta, matrix) - Shift) / LogScale.exp();

    public override void Dispose()
    {
        matrix.Dispose();
        base.Dispose();
    }

    public override FrozenDecoder Freeze()
    {
        using var no = no_grad();
        using var scale = LogScale.exp().cpu();
        using var shift = Shift.cpu();
        return new FrozenTransformAffine(Transform, Seed, scale.data<float>().ToArray(), shift.data<float>().ToArray());
    }
}

public sealed class FrozenTransformAffine : FrozenDecoder
{
    public TransformKind Transform { get; }
    public int Seed { get; }
    public float[] Scale { get; }
    public float[] ShiftValues { get; }

    public FrozenTransformAffine(TransformKind transform, int seed, float[] scale, float[] shift)
    {
        if (scale.Length != shift.Length) throw new ArgumentException("scale and shift lengths differ");
        Transform = transform; Seed = seed; Scale = scale; ShiftValues = shift;
    }

    public override DecoderKind Kind => DecoderKind.TransformAffine;
    public override int Columns => Scale.Length;

    /// <summary>Layout: transform (1 byte), l (1 byte), seed (int32, random orthogonal only), l scales, l shifts (float32).</summary>
    public override byte[] ToBytes()
    {
        bool seeded = Transform == TransformKind.RandomOrthogonal;
        var bytes = new byte[2 + (seeded ? 4 : 0) + 8 * Columns];
        bytes[0] = (byte)Transform;
        bytes[1] = checked((byte)Columns);
        int at = 2;
        if (seeded) { BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), Seed); at += 4; }
        foreach (var v in Scale.Concat(ShiftValues)) { BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), v); at += 4; }
        return bytes;
    }

    public static FrozenTransformAffine FromBytes(byte[] bytes)
    {
        if (bytes.Length < 2) throw new InvalidDataException("transform decoder: truncated");
        var transform = (TransformKind)bytes[0];
        if (!Enum.IsDefined(transform)) throw new InvalidDataException($"transform decoder: unknown transform {bytes[0]} ({string.Join(", ", Enum.GetValues<TransformKind>().Select(k => $"{(byte)k} {k}"))})");
        int l = bytes[1];
        if (l < 1) throw new InvalidDataException("transform decoder: l = 0 columns");
        if (transform == TransformKind.Dft && (int)Math.Round(Math.Sqrt(l)) is var k && k * k != l)
            throw new InvalidDataException($"transform decoder: the DFT transform needs l = k*k columns, not {l}");
        bool seeded = transform == TransformKind.RandomOrthogonal;
        int at = 2, seed = 0;
        if (bytes.Length != 2 + (seeded ? 4 : 0) + 8 * l) throw new InvalidDataException($"transform decoder: {bytes.Length} bytes for l = {l}");
        if (seeded) { seed = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)); at += 4; }
        var values = new float[2 * l];
        for (int i = 0; i < values.Length; i++, at += 4) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at));
        return new FrozenTransformAffine(transform, seed, values[..l], values[l..]);
    }

    public override Tensor Decode(Tensor latent)
    {
        using var matrix = MatrixTensor(Transform, Columns, Seed, latent.device);
        using var scale = tensor(Scale, device: latent.device);
        using var shift = tensor(ShiftValues, device: latent.device);
        using var values = latent.to(float32);
        using var scaled = values * scale;
        using var coefficients = DecodingArithmetic.Add(scaled, shift); // no finalizable Scalar (DecodingArithmetic)
        using var transposed = matrix.t();
        return matmul(coefficients, transposed);
    }

    internal static Tensor MatrixTensor(TransformKind transform, int columns, int seed, Device? device)
    {
        var m = TransformMatrices.Build(transform, columns, seed);
        var flat = new float[columns * columns];
        for (int i = 0; i < columns; i++)
            for (int j = 0; j < columns; j++) flat[i * columns + j] = (float)m[i, j];
        var t = tensor(flat, [columns, columns], device: device);
        t.DetachFromDisposeScope();
        return t;
    }
}
