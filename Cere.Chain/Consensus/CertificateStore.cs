using System.Buffers.Binary;
using Cere.Consensus.Messages;
using Cere.Storage.Db;

namespace Cere.Chain.Consensus;

/// <summary>
/// Commit certificates by height in the consensus column (key <c>"cert" ‖ height as 8 bytes big-endian</c>, value the
/// <see cref="ConsensusCodec"/> certificate encoding), so any decided block can be proven to a peer that asks.
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
}
