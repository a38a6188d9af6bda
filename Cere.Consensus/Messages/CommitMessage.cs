namespace Cere.Consensus.Messages;

/// <summary>A decided block with its certificate, sent to a validator that is behind so that it can decide the height too.</summary>
public sealed class CommitMessage : ConsensusMessage
{
    private readonly byte[] _block;

    /// <summary>The block bytes and the certificate that decided them.</summary>
    public CommitMessage(CommitCertificate certificate, ReadOnlySpan<byte> block)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        _block = block.ToArray();
    }

    /// <summary>The certificate.</summary>
    public CommitCertificate Certificate { get; }

    /// <summary>The block bytes.</summary>
    public ReadOnlySpan<byte> Block => _block;

    /// <summary>The block bytes as the array this message holds (do not modify).</summary>
    internal byte[] BlockArray => _block;

    /// <inheritdoc/>
    public override ulong ChainId => Certificate.ChainId;

    /// <inheritdoc/>
    public override ulong Height => Certificate.Height;
}
