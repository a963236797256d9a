// 2 x 2 max pooling with stride 2 on the CPU in float32, equal to libtorch's F.max_pool2d(x, 2) bit for bit:
//     y[n,c,i,j] = x[n,c,2i+a*,2j+b*],  (a*, b*) = the first maximum of the window in libtorch's scan order
//     (0,0), (0,1), (1,0), (1,1), where a later element wins only if strictly greater or NaN;
//     dL/dx = dL/dy at (2i+a*, 2j+b*), zero elsewhere (floor mode: an odd last row or column gets zero).
// Why: libtorch 2.10's CPU max_pool2d takes about 9 ms forward at LeNet5-Caffe's first layer (batch 128, 20 x 24 x 24
// planes), a quarter of a training step; here one vectorised pass finds the maxima and their positions, and the
// backward pass is one scatter into zeros (results/benchmarks/layers.md).
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models;

internal sealed class MaxPool2x2Function : autograd.SingleTensorFunction<MaxPool2x2Function>
{
    public override string Name => "MaxPool2x2";

    /// <summary>Whether this implementation takes <paramref name="x"/>: a 4-D float32 CPU tensor with a whole window.</summary>
    public static bool Applies(Tensor x) =>
        x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 && x.dim() == 4 && x.shape[2] >= 2 && x.shape[3] >= 2
        && x.numel() <= int.MaxValue;

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).contiguous();
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        var y = empty([n, c, h / 2, w / 2], dtype: ScalarType.Float32);
        var index = empty([n * c * (h / 2) * (w / 2)], dtype: ScalarType.Int32);
        FirstMaxima(x, y, index, n * c, h, w);
        ctx.save_for_backward([index]);
        ctx.save_data("shape", x.shape);
        return y;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
    {
        var index = ctx.get_saved_variables()[0];
        var input = zeros((long[])ctx.get_data("shape"), dtype: ScalarType.Float32);
        Scatter(gradient.contiguous(), index, input);
        return [input];
    }

    static unsafe void Scatter(Tensor gradient, Tensor index, Tensor input)
    {
        var g = MemoryMarshal.Cast<byte, float>(gradient.bytes);
        var at = MemoryMarshal.Cast<byte, int>(index.bytes);
        fixed (float* target = MemoryMarshal.Cast<byte, float>(input.bytes))
            for (int k = 0; k < at.Length; k++) target[at[k]] = g[k];
    }

    /// <summary>Every window's first maximum into <paramref name="output"/> and its flat position into <paramref name="index"/>.</summary>
    static unsafe void FirstMaxima(Tensor source, Tensor output, Tensor index, long planes, long h, long w)
    {
        long ho = h / 2, wo = w / 2;
        fixed (float* x = MemoryMarshal.Cast<byte, float>(source.bytes))
        fixed (float* y = MemoryMarshal.Cast<byte, float>(output.bytes))
        fixed (int* at = MemoryMarshal.Cast<byte, int>(index.bytes))
        {
            float* yo = y;
            int* o = at;
            int* offsets = stackalloc int[4] { 0, 1, (int)w, (int)w + 1 };
            int* lanes = stackalloc int[4];
            for (long p = 0; p < planes; p++)
                for (long i = 0; i < ho; i++)
                {
                    int top = (int)((p * h + 2 * i) * w);
                    long j = 0;
                    if (Sse.IsSupported)
                        // Four windows at a time: the even and odd columns of both rows, the scan as lane-wise selects.
                        for (; j + 4 <= wo; j += 4)
                        {
                            float* r0 = x + top + 2 * j, r1 = r0 + w;
                            Vector128<float> lo0 = Sse.LoadVector128(r0), hi0 = Sse.LoadVector128(r0 + 4);
                            Vector128<float> lo1 = Sse.LoadVector128(r1), hi1 = Sse.LoadVector128(r1 + 4);
                            var m = Sse.Shuffle(lo0, hi0, 0b10_00_10_00);
                            var which = Vector128<int>.Zero;
                            Pick(ref m, ref which, Sse.Shuffle(lo0, hi0, 0b11_01_11_01), 1);
                            Pick(ref m, ref which, Sse.Shuffle(lo1, hi1, 0b10_00_10_00), 2);
                            Pick(ref m, ref which, Sse.Shuffle(lo1, hi1, 0b11_01_11_01), 3);
                            m.Store(yo);
                            which.Store(lanes);
                            int k = top + 2 * (int)j;
                            o[0] = k + offsets[lanes[0]];
                            o[1] = k + 2 + offsets[lanes[1]];
                            o[2] = k + 4 + offsets[lanes[2]];
                            o[3] = k + 6 + offsets[lanes[3]];
                            o += 4;
                            yo += 4;
                        }
                    for (; j < wo; j++)
                    {
                        int k = top + 2 * (int)j, best = k;
                        float m = x[k], v = x[k + 1];
                        if (v > m || float.IsNaN(v)) { m = v; best = k + 1; }
                        v = x[k + w];
                        if (v > m || float.IsNaN(v)) { m = v; best = k + (int)w; }
                        v = x[k + w + 1];
                        if (v > m || float.IsNaN(v)) { m = v; best = k + (int)w + 1; }
                        *o++ = best;
                        *yo++ = m;
                    }
                }
        }
    }

    /// <summary>Lane-wise: where v is greater than m or NaN, m takes v and which takes <paramref name="position"/>.</summary>
    static void Pick(ref Vector128<float> m, ref Vector128<int> which, Vector128<float> v, int position)
    {
        var take = Vector128.GreaterThan(v, m) | ~Vector128.Equals(v, v);
        m = Vector128.ConditionalSelect(take, v, m);
        which = Vector128.ConditionalSelect(take.AsInt32(), Vector128.Create(position), which);
    }
}
