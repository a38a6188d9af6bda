using Cere.P2P.Proto;
using Google.Protobuf;

namespace Cere.P2P.Crypto;

/// <summary>A peer's private identity key; signs the Noise static key and identify records.</summary>
public abstract class PeerPrivateKey
{
    /// <summary>The key's type.</summary>
    public abstract PeerKeyType Type { get; }

    /// <summary>The matching public key.</summary>
    public abstract PeerPublicKey PublicKey { get; }

    /// <summary>The type-specific private key bytes (the protobuf <c>Data</c> field).</summary>
    protected abstract ReadOnlySpan<byte> Data { get; }

    /// <summary>Signs <paramref name="message"/> as the key type prescribes (peer-ids.md "Key Types").</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>The peer id of this key.</summary>
    public PeerId PeerId => PublicKey.ToPeerId();

    /// <summary>The protobuf encoding of the private key.</summary>
    public byte[] Encode() => new PrivateKey { Type = (KeyType)Type, Data = ByteString.CopyFrom(Data) }.ToByteArray();

    /// <summary>A new random key of the given type.</summary>
    public static PeerPrivateKey Generate(PeerKeyType type = PeerKeyType.Ed25519) => type switch
    {
        PeerKeyType.Ed25519 => Ed25519PrivateKey.Generate(),
        PeerKeyType.Secp256k1 => Secp256k1PrivateKey.Generate(),
        _ => throw new PeerKeyException($"cannot generate keys of type {type}"),
    };

    /// <summary>Decodes the protobuf form; throws <see cref="PeerKeyException"/> for malformed bytes or an unsupported type.</summary>
    public static PeerPrivateKey Decode(ReadOnlySpan<byte> encoded)
    {
        PrivateKey proto;
        try
        {
            proto = PrivateKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PeerKeyException($"malformed private key protobuf: {e.Message}");
        }

        if (!proto.HasType || !proto.HasData)
        {
            throw new PeerKeyException("private key protobuf lacks its type or data");
        }

        return (PeerKeyType)proto.Type switch
        {
            PeerKeyType.Ed25519 => new Ed25519PrivateKey(proto.Data.Span),
            PeerKeyType.Secp256k1 => new Secp256k1PrivateKey(proto.Data.Span),
            var t => throw new PeerKeyException($"unsupported private key type {t}"),
        };
    }
}
