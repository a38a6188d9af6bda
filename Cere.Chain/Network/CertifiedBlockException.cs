using Cere.Consensus.Messages;

namespace Cere.Chain.Network;

/// <summary>
/// A decided block (a commit message from a peer: block bytes and commit certificate) was refused; nothing of it was
/// written. Each subtype names one reason; a peer that sends one is at fault and is scored down.
/// </summary>
public abstract class CertifiedBlockException : Exception
{
    /// <summary>A rejection of the block at <paramref name="height"/>.</summary>
    protected CertifiedBlockException(ulong height, string message, Exception? inner = null)
        : base(message, inner)
    {
        Height = height;
    }

    /// <summary>The height of the refused block (as the peer claimed it, or as asked for when nothing decoded).</summary>
    public ulong Height { get; }
}

/// <summary>The bytes are not a commit message, or its block does not decode (garbage on the wire).</summary>
public sealed class MalformedCommitException(ulong height, string message, Exception? inner = null)
    : CertifiedBlockException(height, message, inner);

/// <summary>The commit message, or the peer, belongs to another chain (chain id or genesis block differ).</summary>
public sealed class WrongChainException(ulong height, string message)
    : CertifiedBlockException(height, message);

/// <summary>The block bytes are not the block the certificate decided (hash or number differ).</summary>
public sealed class BlockCertificateMismatchException(ulong height, string message)
    : CertifiedBlockException(height, message);

/// <summary>The certificate does not prove the decision against the validator set of its height (see <see cref="Error"/>).</summary>
public sealed class CertificateRejectedException(ulong height, CertificateError error, string message)
    : CertifiedBlockException(height, message)
{
    /// <summary>Why: a forged signature, an unknown or duplicated signer, too little power, the wrong height.</summary>
    public CertificateError Error { get; } = error;
}

/// <summary>The block is not the one expected at this point: not the height asked for, or not the child of the head.</summary>
public sealed class UnexpectedHeightException(ulong height, string message)
    : CertifiedBlockException(height, message);

/// <summary>The certified block fails validation or execution here (a tampered body, wrong roots): see the inner exception.</summary>
public sealed class InvalidCertifiedBlockException(ulong height, string message, Exception? inner = null)
    : CertifiedBlockException(height, message, inner);
