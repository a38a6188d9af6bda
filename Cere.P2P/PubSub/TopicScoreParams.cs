namespace Cere.P2P.PubSub;

/// <summary>Per-topic score parameters (gossipsub-v1.1.md "The Score Function", P1–P4). Decays are per decay interval.</summary>
public sealed class TopicScoreParams
{
    /// <summary>Weight of the topic in the total score.</summary>
    public double TopicWeight { get; init; } = 1;

    /// <summary>P1 weight (time in mesh); small, positive.</summary>
    public double TimeInMeshWeight { get; init; } = 0.01;

    /// <summary>Time in mesh worth one P1 point.</summary>
    public TimeSpan TimeInMeshQuantum { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on P1.</summary>
    public double TimeInMeshCap { get; init; } = 300;

    /// <summary>P2 weight (first message deliveries); positive.</summary>
    public double FirstMessageDeliveriesWeight { get; init; } = 1;

    /// <summary>P2 counter decay factor.</summary>
    public double FirstMessageDeliveriesDecay { get; init; } = 0.99;

    /// <summary>Cap on the P2 counter.</summary>
    public double FirstMessageDeliveriesCap { get; init; } = 10;

    /// <summary>
    /// P3 weight (mesh delivery deficit); negative, or 0 to disable. Off by default because the threshold
    /// depends on the topic's message rate: on a quiet topic every honest mesh peer would be in deficit.
    /// </summary>
    public double MeshMessageDeliveriesWeight { get; init; }

    /// <summary>P3 counter decay factor.</summary>
    public double MeshMessageDeliveriesDecay { get; init; } = 0.9;

    /// <summary>Deliveries below which a mesh peer is in deficit.</summary>
    public double MeshMessageDeliveriesThreshold { get; init; } = 1;

    /// <summary>Cap on the P3 counter; ≥ the threshold.</summary>
    public double MeshMessageDeliveriesCap { get; init; } = 10;

    /// <summary>Time in mesh before P3 applies.</summary>
    public TimeSpan MeshMessageDeliveriesActivation { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A duplicate from a mesh peer within this time after the first delivery still counts for P3.</summary>
    public TimeSpan MeshMessageDeliveriesWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>P3b weight (sticky mesh failure penalty); negative, or 0 to disable.</summary>
    public double MeshFailurePenaltyWeight { get; init; }

    /// <summary>P3b decay factor.</summary>
    public double MeshFailurePenaltyDecay { get; init; } = 0.9;

    /// <summary>P4 weight (invalid messages, squared counter); negative.</summary>
    public double InvalidMessageDeliveriesWeight { get; init; } = -10;

    /// <summary>P4 counter decay factor (0.99 per second: a half-life of about 70 s).</summary>
    public double InvalidMessageDeliveriesDecay { get; init; } = 0.99;
}
