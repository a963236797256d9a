// A parameter decoder f maps a latent matrix phi (d rows of l values) to parameter values theta = f(phi),
// applying the same map to every row. During training it is differentiable in phi and in its own
// variables psi; after training it is frozen to a few bytes that travel in the compressed file.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Epr;

public abstract class ParameterDecoder : IDisposable
{
    /// <summary>Length l of a latent row.</summary>
    public abstract int Columns { get; }

    /// <summary>The decoder's trainable variables (psi).</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>theta rows (d x l) from latent rows (d x l), differentiable in both.</summary>
    public abstract Tensor Decode(Tensor latent);

    /// <summary>The inverse map: continuous latents whose decoding is <paramref name="theta"/> (d x l).</summary>
    public abstract Tensor Encode(Tensor theta);

    /// <summary>The decoder as stored after training.</summary>
    public abstract FrozenDecoder Freeze();

    public virtual void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }
}

/// <summary>A decoder with fixed float32 values, readable from and writable to a compressed file.</summary>
public abstract class FrozenDecoder
{
    public abstract DecoderKind Kind { get; }
    public abstract int Columns { get; }

    /// <summary>The compact description stored in the file (the group's DecoderParameters).</summary>
    public abstract byte[] ToBytes();

    /// <summary>float32 theta rows (d x l) from integer latent rows (d x l, any numeric dtype).</summary>
    public abstract Tensor Decode(Tensor latent);

    public static FrozenDecoder FromBytes(DecoderKind kind, byte[] bytes) => kind switch
    {
        DecoderKind.ScalarAffine => FrozenScalarAffine.FromBytes(bytes),
        DecoderKind.TransformAffine => FrozenTransformAffine.FromBytes(bytes),
        _ => throw new InvalidDataException($"unknown decoder kind {(byte)kind}"),
    };
}

/// <summary>
/// Tensor arithmetic for decoding that creates no finalizable Scalar. TorchSharp's <c>a + b</c> is <c>a.add(b, 1)</c>: the
/// implicit Scalar alpha is garbage as soon as its handle is taken, and when the finalizer frees it during the native
/// call, libtorch reads a freed Scalar ("Expected false to be true ... toFloat at Scalar.h:140"; the fuzz campaign hit
/// it twice in 48,153 decodes). Here the Scalar is owned and disposed after the call; the result is the same operation.
/// </summary>
internal static class DecodingArithmetic
{
    /// <summary>a + b, element-wise (broadcasting), bit for bit as <c>a + b</c>.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        using var one = 1.ToScalar();
        return a.add(b, one);
    }
}

/// <summary>The decoder families, as stored in a coded group's DecoderKind byte.</summary>
public enum DecoderKind : byte { ScalarAffine = 1, TransformAffine = 2 }
