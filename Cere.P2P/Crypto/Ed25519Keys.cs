using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Cere.P2P.Crypto;

/// <summary>An Ed25519 public key (RFC 8032), 32 bytes.</summary>
public sealed class Ed25519PublicKey : PeerPublicKey
{
    private readonly byte[] _key;

    /// <summary>Wraps 32 raw key bytes.</summary>
    public Ed25519PublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Ed25519.PublicKeySize)
        {
            throw new PeerKeyException($"Ed25519 public key must be 32 bytes, got {key.Length}");
        }

        _key = key.ToArray();
    }

    /// <inheritdoc />
    public override PeerKeyType Type => PeerKeyType.Ed25519;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Data => _key;

    /// <inheritdoc />
    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }

        return Ed25519.Verify(signature.ToArray(), 0, _key, 0, message.ToArray(), 0, message.Length);
    }
}

/// <summary>An Ed25519 private key; libp2p stores it as the 32-byte seed followed by the 32-byte public key.</summary>
public sealed class Ed25519PrivateKey : PeerPrivateKey
{
    private readonly byte[] _data;
    private readonly Ed25519PublicKey _public;

    /// <summary>Accepts the 64-byte libp2p form (seed ‖ public key) or a bare 32-byte seed.</summary>
    public Ed25519PrivateKey(ReadOnlySpan<byte> data)
    {
        if (data.Length != 64 && data.Length != 32)
        {
            throw new PeerKeyException($"Ed25519 private key must be 64 bytes (or a 32-byte seed), got {data.Length}");
        }

        byte[] seed = data[..32].ToArray();
        byte[] pub = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, 0, pub, 0);
        // peer-ids.md: the second half repeats the public key; a mismatch means a corrupt key file.
        if (data.Length == 64 && !data[32..].SequenceEqual(pub))
        {
            throw new PeerKeyException("Ed25519 private key: the embedded public key does not match the seed");
        }

        _data = [.. seed, .. pub];
        _public = new Ed25519PublicKey(pub);
    }

    /// <summary>A new random key.</summary>
    public static Ed25519PrivateKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc />
    public override PeerKeyType Type => PeerKeyType.Ed25519;

    /// <inheritdoc />
    public override PeerPublicKey PublicKey => _public;

    /// <inheritdoc />
    protected override ReadOnlySpan<byte> Data => _data;

    /// <inheritdoc />
    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        byte[] sig = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_data, 0, message.ToArray(), 0, message.Length, sig, 0);
        return sig;
    }
}
