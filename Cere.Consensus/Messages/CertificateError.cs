namespace Cere.Consensus.Messages;

/// <summary>Why a commit certificate does not prove a decision.</summary>
public enum CertificateError
{
    /// <summary>The certificate is valid.</summary>
    None,

    /// <summary>It is for another chain.</summary>
    WrongChain,

    /// <summary>It is for another height than the validator set given.</summary>
    WrongHeight,

    /// <summary>A signer index is not below the number of validators.</summary>
    UnknownSigner,

    /// <summary>Signer indexes are not strictly increasing (a duplicate or unordered signer).</summary>
    DuplicateOrUnorderedSigner,

    /// <summary>A signature does not recover to its validator's address over the precommit digest.</summary>
    BadSignature,

    /// <summary>The signers hold no more than 2/3 of the total power.</summary>
    InsufficientPower,
}
