namespace Cere.Consensus.Messages;

/// <summary>Why bytes could not be decoded as a consensus message, certificate, evidence or WAL record.</summary>
public enum ConsensusDecodeError
{
    /// <summary>Not canonical RLP, or RLP of the wrong shape (see the inner <see cref="Core.Rlp.RlpException"/>).</summary>
    MalformedRlp,

    /// <summary>The leading message kind is not one we know.</summary>
    UnknownMessageKind,

    /// <summary>A vote type other than prevote (1) or precommit (2).</summary>
    UnknownVoteType,

    /// <summary>A round above the largest we accept.</summary>
    RoundOutOfRange,

    /// <summary>A proposal whose polka round is not -1 and not below its round.</summary>
    PolRoundOutOfRange,

    /// <summary>A signature that is not 65 bytes.</summary>
    BadSignatureLength,

    /// <summary>A block hash that is neither empty (nil) nor 32 bytes.</summary>
    BadBlockHash,

    /// <summary>A block larger than the limit.</summary>
    BlockTooLarge,

    /// <summary>A certificate with more signatures than a validator set can have.</summary>
    TooManySignatures,

    /// <summary>A validator index above the largest set size.</summary>
    ValidatorIndexOutOfRange,

    /// <summary>Evidence whose two votes do not conflict.</summary>
    NotConflicting,

    /// <summary>An input larger than the message size limit.</summary>
    MessageTooLarge,
}
