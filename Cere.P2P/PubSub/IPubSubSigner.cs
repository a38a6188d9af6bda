namespace Cere.P2P.PubSub;

/// <summary>Signs our own pubsub messages with the host's peer key (pubsub/README.md "Message Signing").</summary>
public interface IPubSubSigner
{
    /// <summary>Our peer id in its binary (multihash) form: the message's <c>from</c> field.</summary>
    ReadOnlyMemory<byte> PeerIdBytes { get; }

    /// <summary>The protobuf-encoded public key for the <c>key</c> field, or empty when the peer id inlines it (identity multihash).</summary>
    ReadOnlyMemory<byte> KeyFieldBytes { get; }

    /// <summary>Signs <paramref name="payload"/> (already prefixed with <c>libp2p-pubsub:</c>) and returns the signature bytes.</summary>
    byte[] Sign(ReadOnlySpan<byte> payload);
}

/// <summary>Verifies the signature on a received pubsub message against the author's key.</summary>
public interface IPubSubSignatureVerifier
{
    /// <summary>
    /// True when <paramref name="signature"/> is a valid signature of <paramref name="payload"/> by the key of
    /// <paramref name="fromPeerId"/>; the key comes from <paramref name="keyField"/> when not empty (then it must
    /// hash to the peer id) or else from the peer id itself. False, never an exception, for any malformed input.
    /// </summary>
    bool Verify(ReadOnlySpan<byte> fromPeerId, ReadOnlySpan<byte> keyField, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature);
}
