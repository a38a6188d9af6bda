namespace Cere.Consensus.Messages;

/// <summary>A message validators exchange: a <see cref="Proposal"/>, a <see cref="Vote"/> or a <see cref="CommitMessage"/>.</summary>
public abstract class ConsensusMessage
{
    private protected ConsensusMessage()
    {
    }

    /// <summary>The chain the message belongs to.</summary>
    public abstract ulong ChainId { get; }

    /// <summary>The height the message is about.</summary>
    public abstract ulong Height { get; }
}
