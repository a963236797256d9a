// Everything one soft weight-sharing experiment needs, with the budgets smoke / quick / paper.
namespace Compression.SoftWeightSharing;

public sealed record SwsSettings
{
    /// <summary>Architecture id: "lenet300-100" or "lenet5-caffe".</summary>
    public required string Architecture { get; init; }

    /// <summary>Name of the results folder, e.g. "sws-lenet300-100".</summary>
    public required string Experiment { get; init; }

    public string Budget { get; init; } = "quick";

    public long Seed { get; init; } = 1;

    /// <summary>libtorch threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Train on the first examples only (smoke runs); null uses all 60,000.</summary>
    public int? TrainLimit { get; init; }

    public PretrainSettings Pretrain { get; init; } = new();
    public MixturePriorSettings Prior { get; init; } = new();
    public RetrainSettings Retrain { get; init; } = new();

    /// <summary>Components merge when their KL divergence is below this. [tutorial] 1e-10.</summary>
    public double MergeThreshold { get; init; } = PostProcessing.DefaultMergeThreshold;

    /// <summary>Where pretraining and retraining checkpoints go; null means &lt;repository&gt;/checkpoints/sws.</summary>
    public string? CheckpointDirectory { get; init; }

    public static readonly string[] Budgets = ["smoke", "quick", "paper"];

    /// <summary>
    /// The settings of a budget. smoke: seconds, a 2,048-image subset, checks the pipeline only. quick: a few
    /// minutes on 2 cores. paper: the reference network pretrained to convergence, then the tutorial's 30
    /// retraining epochs.
    /// </summary>
    public static SwsSettings For(string architecture, string budget, long seed = 1)
    {
        var arch = Models.Architecture.ById(architecture);
        bool conv = arch is Models.LeNet5Caffe;
        string experiment = $"sws-{arch.Id}";
        const long epoch128 = 60000 / 128, epoch256 = 60000 / 256;
        return budget switch
        {
            "smoke" => new SwsSettings
            {
                Architecture = arch.Id, Experiment = experiment, Budget = budget, Seed = seed, TrainLimit = 2048,
                Pretrain = new PretrainSettings { Steps = conv ? 100 : 300, CheckpointEvery = 1000 },
                Retrain = new RetrainSettings { Steps = conv ? 40 : 120, BatchSize = 128, HistoryEvery = 10, TestEvery = 40, CheckpointEvery = 1000 },
            },
            "quick" => new SwsSettings
            {
                Architecture = arch.Id, Experiment = experiment, Budget = budget, Seed = seed,
                Pretrain = new PretrainSettings { Steps = (conv ? 4 : 20) * epoch128 },
                Retrain = new RetrainSettings { Steps = (conv ? 3 : 10) * epoch256 },
            },
            "paper" => new SwsSettings
            {
                Architecture = arch.Id, Experiment = experiment, Budget = budget, Seed = seed,
                Pretrain = new PretrainSettings { Steps = (conv ? 40 : 100) * epoch128 },
                Retrain = new RetrainSettings { Steps = 30 * epoch256 },
            },
            _ => throw new ArgumentException($"unknown budget '{budget}' (use {string.Join(", ", Budgets)})"),
        };
    }
}
