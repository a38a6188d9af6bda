using System.Buffers.Binary;
using Cere.Chain.Blocks;
using Cere.Consensus.Messages;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Chain.Consensus;

/// <summary>
/// Commit certificates by height in the consensus column (key <c>"cert" ‖ height as 8 bytes big-endian</c>, value the
/// <see cref="ConsensusCodec"/> certificate encoding), so any decided block can be proven to a peer that asks. A decided
/// block is committed with its certificate in one batch (<see cref="CommitWithBlock"/>).
/// </summary>
public sealed class CertificateStore
{
    private static ReadOnlySpan<byte> Prefix => "cert"u8;

    private readonly IKeyValueStore _db;

    /// <summary>A store on <paramref name="db"/>.</summary>
    public CertificateStore(IKeyValueStore db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    /// <summary>Writes the certificate of its height (overwrites: only ever the certificate of the block committed there).</summary>
    public void Write(CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Span<byte> key = stackalloc byte[12];
        KeyOf(certificate.Height, key);
        _db.Put(DbColumn.Consensus, key, ConsensusCodec.EncodeCertificate(certificate));
    }

    /// <summary>Adds the certificate of its height to <paramref name="batch"/>.</summary>
    public static void Write(IWriteBatch batch, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(certificate);
        Span<byte> key = stackalloc byte[12];
        KeyOf(certificate.Height, key);
        batch.Put(DbColumn.Consensus, key, ConsensusCodec.EncodeCertificate(certificate));
    }

    /// <summary>
    /// Commits the decided <paramref name="block"/>, its receipts, its post-state and its <paramref name="certificate"/> in
    /// one write batch, but only as the child of the current head: returns false, with nothing written, when the head is
    /// no longer the block's parent (consensus and block sync raced to the same height; a decided block never reorganises).
    /// </summary>
    /// <exception cref="InvalidOperationException">The state root differs from the header's (nothing is written).</exception>
    /// <exception cref="ArgumentException">The certificate is not the block's, or the chain is on another database.</exception>
    public bool CommitWithBlock(Blockchain chain, Block block, Receipt[] receipts, WorldState state, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!ReferenceEquals(chain.Db, _db))
        {
            throw new ArgumentException("the chain is on another database than the certificates: one batch cannot hold both", nameof(chain));
        }

        if (certificate.BlockHash != block.Hash || certificate.Height != block.Number)
        {
            throw new ArgumentException($"the certificate is for block {certificate.Height} {certificate.BlockHash}, not {block.Number} {block.Hash}", nameof(certificate));
        }

        try
        {
            chain.Commit(block, receipts, state, batch =>
            {
                // Runs under the chain's commit lock: the head cannot move between this check and the write.
                if (chain.Head.Hash != block.Header.ParentHash)
                {
                    throw new HeadMovedException();
                }

                Write(batch, certificate);
            });
            return true;
        }
        catch (HeadMovedException)
        {
            return false;
        }
    }

    /// <summary>The certificate of <paramref name="height"/>, or null if none is stored.</summary>
    /// <exception cref="InvalidDataException">The stored bytes do not decode (a damaged database).</exception>
    public CommitCertificate? Read(ulong height)
    {
        Span<byte> key = stackalloc byte[12];
        KeyOf(height, key);
        byte[]? raw = _db.Get(DbColumn.Consensus, key);
        if (raw is null)
        {
            return null;
        }

        try
        {
            return ConsensusCodec.DecodeCertificate(raw);
        }
        catch (ConsensusDecodeException e)
        {
            throw new InvalidDataException($"the stored commit certificate of height {height} does not decode: {e.Message}", e);
        }
    }

    private static void KeyOf(ulong height, Span<byte> key)
    {
        Prefix.CopyTo(key);
        BinaryPrimitives.WriteUInt64BigEndian(key[4..], height);
    }

    // Aborts a commit whose parent stopped being the head; never leaves CommitWithBlock.
    private sealed class HeadMovedException : Exception
    {
    }
}
