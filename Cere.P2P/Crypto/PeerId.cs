using System.Security.Cryptography;
using Cere.P2P.Encoding;
using SimpleBase;

namespace Cere.P2P.Crypto;

/// <summary>
/// A peer id: the multihash of the peer's encoded public key, identity when the key encodes to at most 42 bytes,
/// SHA-256 otherwise (peer-ids.md "Peer Ids"). Printed as base58btc; parses base58btc and CIDv1 (libp2p-key).
/// </summary>
public sealed class PeerId : IEquatable<PeerId>
{
    /// <summary>The identity multihash code.</summary>
    public const byte IdentityCode = 0x00;

    /// <summary>The sha2-256 multihash code.</summary>
    public const byte Sha256Code = 0x12;

    /// <summary>The libp2p-key multicodec used in CIDv1 peer ids.</summary>
    public const int LibP2pKeyCodec = 0x72;

    private const int MaxInlineKeyLength = 42;

    private readonly byte[] _multihash;
    private readonly int _hash;

    private PeerId(byte[] multihash)
    {
        _multihash = multihash;
        HashCode h = default;
        h.AddBytes(multihash);
        _hash = h.ToHashCode();
    }

    /// <summary>The multihash bytes (what goes in <c>/p2p/</c> and in the Noise/identify checks).</summary>
    public ReadOnlySpan<byte> Bytes => _multihash;

    /// <summary>The multihash bytes as a fresh array.</summary>
    public byte[] ToBytes() => (byte[])_multihash.Clone();

    /// <summary>Derives the id of a public key.</summary>
    public static PeerId FromPublicKey(PeerPublicKey key) => FromEncodedPublicKey(key.Encode());

    /// <summary>Derives the id from a protobuf-encoded public key of any type (RSA and ECDSA included).</summary>
    public static PeerId FromEncodedPublicKey(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length <= MaxInlineKeyLength)
        {
            byte[] mh = new byte[2 + encoded.Length];
            mh[0] = IdentityCode;
            mh[1] = (byte)encoded.Length;
            encoded.CopyTo(mh.AsSpan(2));
            return new PeerId(mh);
        }

        byte[] sha = new byte[34];
        sha[0] = Sha256Code;
        sha[1] = 32;
        SHA256.HashData(encoded, sha.AsSpan(2));
        return new PeerId(sha);
    }

    /// <summary>Validates and wraps multihash bytes; throws <see cref="FormatException"/> if they are not an identity or sha2-256 multihash.</summary>
    public static PeerId FromBytes(ReadOnlySpan<byte> multihash)
    {
        ulong code = Varint.Read(multihash, out int a);
        ulong length = Varint.Read(multihash[a..], out int b);
        if ((ulong)(multihash.Length - a - b) != length)
        {
            throw new FormatException($"peer id multihash announces {length} bytes of digest, has {multihash.Length - a - b}");
        }

        if (code == Sha256Code && length != 32)
        {
            throw new FormatException("sha2-256 peer id must have a 32-byte digest");
        }

        if (code != Sha256Code && code != IdentityCode)
        {
            throw new FormatException($"peer id multihash code 0x{code:x} is neither identity nor sha2-256");
        }

        return new PeerId(multihash.ToArray());
    }

    /// <summary>The public key inlined in an identity peer id, or null for a hashed one.</summary>
    public PeerPublicKey? TryGetPublicKey() => _multihash[0] == IdentityCode ? PeerPublicKey.Decode(_multihash.AsSpan(2)) : null;

    /// <summary>True when <paramref name="key"/> is the key this id was derived from.</summary>
    public bool Matches(PeerPublicKey key) => Equals(FromPublicKey(key));

    /// <summary>Parses base58btc (<c>Qm…</c>, <c>12D3…</c>, <c>16U…</c>) or a CIDv1 in base32 (<c>b…</c>) or base58btc multibase (<c>z…</c>).</summary>
    public static PeerId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2)
        {
            throw new FormatException("peer id text is too short");
        }

        try
        {
            if (text[0] == '1' || text.StartsWith("Qm", StringComparison.Ordinal))
            {
                return FromBytes(Base58.Bitcoin.Decode(text));
            }

            byte[] cid = text[0] switch
            {
                'b' => Base32.Rfc4648.Decode(text.AsSpan(1)),
                'z' => Base58.Bitcoin.Decode(text.AsSpan(1)),
                _ => throw new FormatException($"peer id '{text}' is neither base58btc nor a multibase CID"),
            };
            ulong version = Varint.Read(cid, out int a);
            ulong codec = Varint.Read(cid.AsSpan(a), out int b);
            if (version != 1 || codec != LibP2pKeyCodec)
            {
                throw new FormatException($"peer id CID must be v1 with the libp2p-key codec (0x72), got v{version} codec 0x{codec:x}");
            }

            return FromBytes(cid.AsSpan(a + b));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"peer id '{text}' is not valid base58/base32: {e.Message}", e);
        }
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string text, out PeerId? id)
    {
        try
        {
            id = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            id = null;
            return false;
        }
    }

    /// <summary>The legacy base58btc form, what libp2p implementations display.</summary>
    public override string ToString() => Base58.Bitcoin.Encode(_multihash);

    /// <summary>The CIDv1 form: multibase base32 (lowercase, no padding) of version 1, libp2p-key, multihash.</summary>
    public string ToCidString()
    {
        byte[] cid = new byte[2 + _multihash.Length];
        cid[0] = 1;
        cid[1] = LibP2pKeyCodec;
        _multihash.CopyTo(cid, 2);
        return "b" + Base32.Rfc4648.Encode(cid, padding: false).ToLowerInvariant();
    }

    /// <inheritdoc />
    public bool Equals(PeerId? other) => other is not null && other._multihash.AsSpan().SequenceEqual(_multihash);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PeerId);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>Value equality.</summary>
    public static bool operator ==(PeerId? a, PeerId? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(PeerId? a, PeerId? b) => !(a == b);
}
