namespace Cere.Consensus.Machine;

/// <summary>Why the machine ignored an input; <see cref="None"/> when it took it. A rejected input never changes the state.</summary>
public enum RejectReason
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No height started yet.</summary>
    NotStarted,

    /// <summary>Another chain id.</summary>
    WrongChain,

    /// <summary>A height already decided here (the sender is behind; the host may send it the commit).</summary>
    PastHeight,

    /// <summary>A height beyond the next one, or the next one while its buffer is full.</summary>
    FutureHeight,

    /// <summary>Kept for the next height (checked when it starts).</summary>
    BufferedForNextHeight,

    /// <summary>The signer is not in this height's validator set.</summary>
    NotAValidator,

    /// <summary>The signature is not the claimed signer's.</summary>
    BadSignature,

    /// <summary>A proposal from a validator that is not the round's proposer.</summary>
    NotTheProposer,

    /// <summary>A round too far ahead of ours to be kept.</summary>
    RoundTooFarAhead,

    /// <summary>The signer already holds its share of future rounds.</summary>
    FutureRoundCapReached,

    /// <summary>The same message again.</summary>
    Duplicate,

    /// <summary>More conflicting proposals for one round than are kept.</summary>
    ProposalCapReached,

    /// <summary>The height is already decided.</summary>
    AlreadyDecided,

    /// <summary>A timer or answer for a height, round or step that has passed.</summary>
    Stale,

    /// <summary>A commit certificate that does not prove its decision.</summary>
    InvalidCertificate,
}
