using Cere.P2P.Crypto;

namespace Cere.P2P.PubSub;

/// <summary>Signs pubsub messages with the host's peer key (StrictSign).</summary>
public sealed class PeerKeyPubSubSigner : IPubSubSigner
{
    private readonly PeerPrivateKey _key;

    /// <summary>Signs as <paramref name="key"/>; the key field is sent only when the peer id does not inline the key.</summary>
    public PeerKeyPubSubSigner(PeerPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        var id = key.PeerId.ToBytes();
        PeerIdBytes = id;
        KeyFieldBytes = id[0] == PeerId.IdentityCode ? ReadOnlyMemory<byte>.Empty : key.PublicKey.Encode();
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> PeerIdBytes { get; }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> KeyFieldBytes { get; }

    /// <inheritdoc/>
    public byte[] Sign(ReadOnlySpan<byte> payload) => _key.Sign(payload);
}

/// <summary>Verifies pubsub message signatures against the author's peer id (pubsub/README.md "Message Signing").</summary>
public sealed class PeerKeyPubSubVerifier : IPubSubSignatureVerifier
{
    /// <inheritdoc/>
    public bool Verify(ReadOnlySpan<byte> fromPeerId, ReadOnlySpan<byte> keyField, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        try
        {
            var author = PeerId.FromBytes(fromPeerId);
            PeerPublicKey? key;
            if (!keyField.IsEmpty)
            {
                // The key field must belong to the claimed author.
                key = PeerPublicKey.Decode(keyField);
                if (!author.Matches(key))
                    return false;
            }
            else
            {
                key = author.TryGetPublicKey();
            }

            return key is not null && key.Verify(payload, signature);
        }
        catch (Exception e) when (e is FormatException or PeerKeyException or ArgumentException)
        {
            return false; // malformed id or key: simply not a valid signature
        }
    }
}
