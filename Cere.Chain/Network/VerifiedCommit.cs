using Cere.Consensus.Messages;
using Cere.Core.Blocks;

namespace Cere.Chain.Network;

/// <summary>
/// A commit message whose certificate was checked (right chain, the block's hash and height, a quorum of valid
/// signatures of the height's validators) and whose block decoded: ready for <see cref="CertifiedBlockImporter.Import(VerifiedCommit)"/>.
/// </summary>
public sealed class VerifiedCommit
{
    internal VerifiedCommit(CommitMessage message, Block block)
    {
        Message = message;
        Block = block;
    }

    /// <summary>The commit message as received.</summary>
    public CommitMessage Message { get; }

    /// <summary>The decoded block (its transactions' senders already recovered).</summary>
    public Block Block { get; }

    /// <summary>The certificate.</summary>
    public CommitCertificate Certificate => Message.Certificate;

    /// <summary>The height.</summary>
    public ulong Height => Message.Height;
}
