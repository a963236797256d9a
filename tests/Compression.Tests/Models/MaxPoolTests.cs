// Layers.MaxPool2x2 must be F.max_pool2d(x, 2) bit for bit, values and gradients: the committed results were
// trained with max_pool2d, and their commands must still make the same bytes.
using Compression.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.Models;

public class MaxPoolTests
{
    static (byte[] Value, byte[] Gradient) Run(Tensor input, Tensor upstream, Func<Tensor, Tensor> layer)
    {
        using var scope = NewDisposeScope();
        var x = input.detach().clone().requires_grad_();
        var y = layer(x);
        (y * upstream).sum().backward();
        return (y.detach().contiguous().bytes.ToArray(), x.grad!.contiguous().bytes.ToArray());
    }

    static void AssertSame(Tensor x, Tensor upstream, Func<Tensor, Tensor> reference, Func<Tensor, Tensor> candidate)
    {
        var expected = Run(x, upstream, reference);
        var actual = Run(x, upstream, candidate);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Gradient, actual.Gradient);
    }

    /// <summary>Small integers: most windows hold ties, where the first maximum must take the gradient.</summary>
    static Tensor Ties(long[] shape, int seed)
    {
        var g = new Generator((ulong)seed);
        return randint(-2, 3, shape, generator: g).to(float32);
    }

    [Theory]
    [InlineData(2, 3, 8, 8)]
    [InlineData(3, 4, 7, 9)]   // odd sizes: the last row and column are dropped
    [InlineData(1, 1, 3, 2)]
    public void SameValuesAndGradientsAsMaxPool2dOnTies(int n, int c, int h, int w)
    {
        var x = Ties([n, c, h, w], 7);
        var upstream = randn([n, c, h / 2, w / 2], generator: new Generator(8));
        AssertSame(x, upstream, t => F.max_pool2d(t, 2), Layers.MaxPool2x2);
    }

    [Fact]
    public void SameAsMaxPool2dOnContinuousValuesAndNaN()
    {
        // Width 10: four windows of a row go through the vectorised scan, the fifth through the scalar one.
        var x = randn([4, 5, 6, 10], generator: new Generator(3));
        x[0, 0, 0, 1] = tensor(float.NaN);   // second element of a window
        x[1, 2, 3, 3] = tensor(float.NaN);   // two NaNs in one window: libtorch keeps the later
        x[1, 2, 2, 2] = tensor(float.NaN);
        x[3, 4, 0, 9] = tensor(float.NaN);   // in the scalar tail
        x[3, 4, 1, 8] = tensor(float.NaN);
        x[2, 1, 4, 4] = tensor(float.NegativeInfinity);
        var upstream = randn([4, 5, 3, 5], generator: new Generator(4));
        AssertSame(x, upstream, t => F.max_pool2d(t, 2), Layers.MaxPool2x2);
    }

    /// <summary>LeNet5-Caffe pools first and applies the ReLU to a quarter of the elements.</summary>
    [Fact]
    public void ReluAfterPoolingEqualsReluBefore()
    {
        var x = Ties([3, 4, 8, 6], 11) + 0.5 * randint(0, 2, [3, 4, 8, 6], generator: new Generator(12)).to(float32);
        var upstream = randn([3, 4, 4, 3], generator: new Generator(13));
        AssertSame(x, upstream, t => F.max_pool2d(F.relu(t), 2), t => F.relu(Layers.MaxPool2x2(t)));
    }

    [Fact]
    public void NonContiguousInputIsPooledLikeMaxPool2d()
    {
        var x = randn([2, 6, 6, 3], generator: new Generator(5)).permute(0, 3, 1, 2); // (2, 3, 6, 6), strided
        var upstream = randn([2, 3, 3, 3], generator: new Generator(6));
        AssertSame(x, upstream, t => F.max_pool2d(t, 2), Layers.MaxPool2x2);
    }

    [Fact]
    public void WithoutGradientsTheValuesAreMaxPool2ds()
    {
        var x = Ties([2, 3, 10, 12], 21);
        using var off = no_grad();
        Assert.Equal(F.max_pool2d(x, 2).bytes.ToArray(), Layers.MaxPool2x2(x).bytes.ToArray());
    }

    /// <summary>LeNet5-Caffe's forward and backward with the fast pooling against the same network written with max_pool2d.</summary>
    [Fact]
    public void LeNet5CaffeMatchesItsMaxPool2dForm()
    {
        var architecture = new LeNet5Caffe();
        torch.manual_seed(3);
        var values = architecture.NewNetwork();
        var images = rand([16, 1, 28, 28], generator: new Generator(9));
        var labels = randint(0, 10, [16], generator: new Generator(10));
        byte[][] Gradients(Func<Tensor, IReadOnlyList<Tensor>, Tensor> forward)
        {
            using var scope = NewDisposeScope();
            var p = values.Parameters.Select(t => t.detach().clone().requires_grad_()).ToList();
            F.cross_entropy(forward(images, p), labels).backward();
            return p.Select(t => t.grad!.bytes.ToArray()).ToArray();
        }
        var expected = Gradients((x, p) =>
        {
            x = F.max_pool2d(F.relu(F.conv2d(x, p[0], p[1])), 2);
            x = F.max_pool2d(F.relu(F.conv2d(x, p[2], p[3])), 2);
            x = F.relu(F.linear(x.reshape(x.shape[0], 800), p[4], p[5]));
            return F.linear(x, p[6], p[7]);
        });
        var actual = Gradients((x, p) => architecture.Forward(x, new NetworkValues(architecture, p, [], owns: false)));
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k]);
    }
}
