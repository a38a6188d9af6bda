namespace Cere.Consensus.Messages;

/// <summary>Bytes that are not a valid consensus encoding; <see cref="Error"/> says what was wrong.</summary>
public sealed class ConsensusDecodeException : FormatException
{
    /// <summary>An error with a message a reader can act on.</summary>
    public ConsensusDecodeException(ConsensusDecodeError error, string message, Exception? inner = null)
        : base($"consensus {error}: {message}", inner)
    {
        Error = error;
    }

    /// <summary>What was wrong.</summary>
    public ConsensusDecodeError Error { get; }
}
