using Cere.P2P.Proto;
using Google.Protobuf;

namespace Cere.P2P.Crypto;

/// <summary>A peer's public identity key; <see cref="Encode"/> is the protobuf form that peer ids hash (peer-ids.md "Keys").</summary>
public abstract class PeerPublicKey : IEquatable<PeerPublicKey>
{
    /// <summary>The key's type.</summary>
    public abstract PeerKeyType Type { get; }

    /// <summary>The type-specific key bytes (the protobuf <c>Data</c> field).</summary>
    public abstract ReadOnlyMemory<byte> Data { get; }

    /// <summary>Checks a signature over <paramref name="message"/>; false for any malformed signature.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>The deterministic protobuf encoding: field 1 (type) then field 2 (data).</summary>
    public byte[] Encode() => new PublicKey { Type = (KeyType)Type, Data = ByteString.CopyFrom(Data.Span) }.ToByteArray();

    /// <summary>The peer id of this key.</summary>
    public PeerId ToPeerId() => PeerId.FromPublicKey(this);

    /// <summary>Decodes the protobuf form; throws <see cref="PeerKeyException"/> for malformed bytes or an unsupported type.</summary>
    public static PeerPublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        PublicKey proto;
        try
        {
            proto = PublicKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PeerKeyException($"malformed public key protobuf: {e.Message}");
        }

        if (!proto.HasType || !proto.HasData)
        {
            throw new PeerKeyException("public key protobuf lacks its type or data");
        }

        return FromRaw((PeerKeyType)proto.Type, proto.Data.Span);
    }

    /// <summary>Builds a key from its type and raw bytes.</summary>
    public static PeerPublicKey FromRaw(PeerKeyType type, ReadOnlySpan<byte> data) => type switch
    {
        PeerKeyType.Ed25519 => new Ed25519PublicKey(data),
        PeerKeyType.Secp256k1 => new Secp256k1PublicKey(data),
        _ => throw new PeerKeyException($"unsupported public key type {type}"),
    };

    /// <inheritdoc />
    public bool Equals(PeerPublicKey? other) => other is not null && other.Type == Type && other.Data.Span.SequenceEqual(Data.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PeerPublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        HashCode h = default;
        h.Add(Type);
        h.AddBytes(Data.Span);
        return h.ToHashCode();
    }
}
