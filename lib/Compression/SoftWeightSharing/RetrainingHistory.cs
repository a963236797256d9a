// What a notebook needs to show retraining: loss curves (cross-entropy and the prior's complexity
// term), and every K steps the mixture (means, stds, proportions), a histogram of the weights under the
// prior and a fixed random sample of individual weights, so it can draw the paper's figure of weights
// moving onto the components (pretrained value on x, current value on y, component bands).
using System.Text.Json;
using System.Text.Json.Serialization;
using Datasets;

namespace Compression.SoftWeightSharing;

/// <summary>Means over the steps since the previous record.</summary>
/// <param name="NegativeLogPrior">-log p(w) summed over the prior's weights (nats), at the record's step.</param>
/// <param name="Complexity">(tau_t / N) (-log p(w) + hyperprior), the term added to the loss.</param>
/// <param name="Tau">tau at this step (differs from the setting only during warm-up).</param>
public sealed record LossRecord(long Step, double Epoch, double CrossEntropy, double NegativeLogPrior, double Complexity,
    double Loss, double Tau, double? TestError);

/// <param name="Means">All J means, the zero component first.</param>
/// <param name="AssignmentEntropyBits">Entropy (bits per weight) of the argmax-responsibility assignments under the current mixture.</param>
/// <param name="ZeroFraction">Fraction of the prior's weights whose highest-responsibility component is the zero component.</param>
/// <param name="Histogram">Counts of the prior's weights in <see cref="RetrainingHistory.HistogramEdges"/> bins.</param>
/// <param name="Sample">Current values of the weights at <see cref="RetrainingHistory.SampleIndices"/>.</param>
public sealed record MixtureSnapshot(long Step, double Epoch, double[] Means, double[] Stds, double[] Proportions,
    double AssignmentEntropyBits, double ZeroFraction, long[] Histogram, float[] Sample);

public sealed class RetrainingHistory
{
    /// <summary>Bin edges of the weight histograms (bins + 1 values; the end bins also hold values outside).</summary>
    public double[] HistogramEdges { get; set; } = [];

    /// <summary>Positions in the concatenation (Architecture order) of the prior's tensors of the followed weights.</summary>
    public long[] SampleIndices { get; set; } = [];

    /// <summary>Pretrained values of the followed weights.</summary>
    public float[] SamplePretrained { get; set; } = [];

    /// <summary>Histogram of the pretrained weights.</summary>
    public long[] PretrainedHistogram { get; set; } = [];

    public List<LossRecord> Losses { get; set; } = [];
    public List<MixtureSnapshot> Snapshots { get; set; } = [];

    /// <summary>Pretraining curve (training cross-entropy per epoch, test error every 10 epochs).</summary>
    public List<CurvePoint> Pretraining { get; set; } = [];

    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static RetrainingHistory FromJson(string json) =>
        JsonSerializer.Deserialize<RetrainingHistory>(json, Options) ?? throw new InvalidDataException("empty history");

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    public static RetrainingHistory Read(string path) => FromJson(File.ReadAllText(path));

    public static long[] Histogram(ReadOnlySpan<float> values, double[] edges)
    {
        int bins = edges.Length - 1;
        var counts = new long[bins];
        double lo = edges[0], width = (edges[^1] - edges[0]) / bins;
        foreach (var v in values)
        {
            int b = (int)Math.Floor((v - lo) / width);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        return counts;
    }
}
