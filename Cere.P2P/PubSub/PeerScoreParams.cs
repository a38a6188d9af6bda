namespace Cere.P2P.PubSub;

/// <summary>Peer-wide score parameters (gossipsub-v1.1.md "Overview of New Parameters"). P6 (IP colocation) is not implemented.</summary>
public sealed class PeerScoreParams
{
    /// <summary>Parameters for named topics; topics not listed use <see cref="DefaultTopic"/>.</summary>
    public IReadOnlyDictionary<string, TopicScoreParams> Topics { get; init; } = new Dictionary<string, TopicScoreParams>();

    /// <summary>Parameters for any topic not in <see cref="Topics"/>; null means such topics do not count.</summary>
    public TopicScoreParams? DefaultTopic { get; init; } = new();

    /// <summary>Cap on the positive sum of topic contributions; 0 means no cap.</summary>
    public double TopicScoreCap { get; init; } = 10;

    /// <summary>P5 weight.</summary>
    public double AppSpecificWeight { get; init; } = 1;

    /// <summary>P5: application score of a peer, or null for none.</summary>
    public Func<string, double>? AppSpecificScore { get; init; }

    /// <summary>P7 weight (behaviour penalty, squared excess over the threshold); negative.</summary>
    public double BehaviourPenaltyWeight { get; init; } = -10;

    /// <summary>Penalty counter value tolerated before P7 applies.</summary>
    public double BehaviourPenaltyThreshold { get; init; } = 1;

    /// <summary>P7 counter decay factor.</summary>
    public double BehaviourPenaltyDecay { get; init; } = 0.99;

    /// <summary>How often counters decay.</summary>
    public TimeSpan DecayInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A decayed counter below this is zero.</summary>
    public double DecayToZero { get; init; } = 0.01;

    /// <summary>How long a disconnected peer's score is remembered (so a bad peer cannot reset it by reconnecting).</summary>
    public TimeSpan RetainScore { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The parameters that apply to <paramref name="topic"/>, or null when it does not count.</summary>
    public TopicScoreParams? ForTopic(string topic) => Topics.TryGetValue(topic, out var p) ? p : DefaultTopic;
}
