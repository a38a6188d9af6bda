using NBitcoin.Secp256k1;
using RandomNumberGenerator = System.Security.Cryptography.RandomNumberGenerator;
using Sha256 = System.Security.Cryptography.SHA256;

namespace Cere.P2P.Crypto;

/// <summary>A secp256k1 public key in its 33-byte compressed form; signatures are DER ECDSA over SHA-256 (peer-ids.md "Secp256k1").</summary>
public sealed class Secp256k1PublicKey : PeerPublicKey
{
    private readonly byte[] _compressed;
    private readonly ECPubKey _key;

    /// <summary>Parses a compressed (33-byte) or uncompressed (65-byte) point; keeps the compressed form.</summary>
    public Secp256k1PublicKey(ReadOnlySpan<byte> key)
    {
        if ((key.Length != 33 && key.Length != 65) || !ECPubKey.TryCreate(key, Context.Instance, out _, out ECPubKey? pub) || pub is null)
        {
            throw new PeerKeyException($"invalid secp256k1 public key ({key.Length} bytes)");
        }

        _key = pub;
        _compressed = new byte[33];
        pub.WriteToSpan(true, _compressed, out _);
    }

    internal Secp256k1PublicKey(ECPubKey key)
    {
        _key = key;
        _compressed = new byte[33];
        key.WriteToSpan(true, _compressed, out _);
    }

    /// <inheritdoc />
    public override PeerKeyType Type => PeerKeyType.Secp256k1;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Data => _compressed;

    /// <inheritdoc />
    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!SecpECDSASignature.TryCreateFromDer(signature, out SecpECDSASignature? sig) || sig is null)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        Sha256.HashData(message, hash);
        // libp2p peers (go-libp2p, js-libp2p) accept high-S signatures; verify the normalised form.
        sig.TryNormalize(out SecpECDSASignature normalized);
        return _key.SigVerify(normalized, hash);
    }
}

/// <summary>A secp256k1 private key (32 bytes).</summary>
public sealed class Secp256k1PrivateKey : PeerPrivateKey
{
    private readonly byte[] _data;
    private readonly ECPrivKey _key;
    private readonly Secp256k1PublicKey _public;

    /// <summary>Wraps a 32-byte scalar; throws <see cref="PeerKeyException"/> if it is not a valid key.</summary>
    public Secp256k1PrivateKey(ReadOnlySpan<byte> data)
    {
        if (data.Length != 32 || !ECPrivKey.TryCreate(data, Context.Instance, out ECPrivKey? key) || key is null)
        {
            throw new PeerKeyException($"invalid secp256k1 private key ({data.Length} bytes)");
        }

        _data = data.ToArray();
        _key = key;
        _public = new Secp256k1PublicKey(key.CreatePubKey());
    }

    /// <summary>A new random key.</summary>
    public static Secp256k1PrivateKey Generate()
    {
        while (true)
        {
            byte[] candidate = RandomNumberGenerator.GetBytes(32);
            if (ECPrivKey.TryCreate(candidate, Context.Instance, out _))
            {
                return new Secp256k1PrivateKey(candidate);
            }
        }
    }

    /// <inheritdoc />
    public override PeerKeyType Type => PeerKeyType.Secp256k1;

    /// <inheritdoc />
    public override PeerPublicKey PublicKey => _public;

    /// <inheritdoc />
    protected override ReadOnlySpan<byte> Data => _data;

    /// <inheritdoc />
    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> hash = stackalloc byte[32];
        Sha256.HashData(message, hash);
        SecpECDSASignature sig = _key.SignECDSARFC6979(hash);
        Span<byte> der = stackalloc byte[72];
        sig.WriteDerToSpan(der, out int length);
        return der[..length].ToArray();
    }
}
