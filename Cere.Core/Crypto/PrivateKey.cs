using System.Diagnostics;
using System.Security.Cryptography;
using Secp256k1Net;

namespace Cere.Core.Crypto;

/// <summary>A secp256k1 private key with its public key and address, computed once; signs Ethereum-style recoverable signatures.</summary>
public sealed class PrivateKey
{
    /// <summary>Length of a private key.</summary>
    public const int Size = 32;

    private readonly byte[] _key;
    private readonly byte[] _publicKey64;
    private readonly byte[] _compressedPublicKey;

    /// <summary>Takes a 32-byte big-endian scalar k with 1 ≤ k &lt; n (the bytes are copied).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, zero, or not below the curve order n.</exception>
    public PrivateKey(ReadOnlySpan<byte> key32)
    {
        if (key32.Length != Size)
        {
            throw new ArgumentException($"a secp256k1 private key is {Size} bytes, got {key32.Length}", nameof(key32));
        }

        if (!Secp256k1Curve.IsValidScalar(new UInt256(key32)))
        {
            throw new ArgumentException("a secp256k1 private key must be a number from 1 to n − 1 (n = the curve order); this one is zero or too large", nameof(key32));
        }

        _key = key32.ToArray();

        Span<byte> nativePublicKey = stackalloc byte[Secp256k1Native.PublicKeySize];
        if (!Secp256k1Native.Context.EcPubkeyCreate(nativePublicKey, _key))
        {
            // Unreachable for a key in [1, n−1]; kept so a library fault cannot produce a key without a public key.
            throw new CryptographicException("libsecp256k1 refused a private key that is in range");
        }

        _publicKey64 = new byte[64];
        _compressedPublicKey = new byte[33];
        nuint length = 33;
        if (!Secp256k1Native.TrySerializeXY(nativePublicKey, _publicKey64)
            || !Secp256k1Native.Context.EcPubkeySerialize(_compressedPublicKey, ref length, nativePublicKey, Secp256k1EcFlags.Compressed))
        {
            throw new CryptographicException("libsecp256k1 could not serialize a public key");
        }

        Address = Address.FromPublicKey(_publicKey64);
    }

    /// <summary>A new random key from the operating system's CSPRNG.</summary>
    public static PrivateKey Generate()
    {
        Span<byte> candidate = stackalloc byte[Size];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);

                // Out of range with probability ~2^-128: draw again rather than reduce (reduction would bias).
                if (Secp256k1Curve.IsValidScalar(new UInt256(candidate)))
                {
                    return new PrivateKey(candidate);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>The account address: the last 20 bytes of Keccak-256(X‖Y).</summary>
    public Address Address { get; }

    /// <summary>The public key as 64 bytes X‖Y (SEC1 uncompressed without the 0x04 prefix).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey64;

    /// <summary>A copy of the 33-byte SEC1 compressed public key (0x02/0x03 ‖ X), as libp2p peer keys carry it.</summary>
    public byte[] CompressedPublicKey => (byte[])_compressedPublicKey.Clone();

    /// <summary>Signs a 32-byte digest: RFC 6979 deterministic nonce, s always low (EIP-2), recovery id 0 or 1.</summary>
    public EcdsaSignature Sign(in Hash256 digest) => Sign(digest.Bytes);

    /// <summary>Signs a 32-byte digest given as bytes (see <see cref="Sign(in Hash256)"/>).</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    public EcdsaSignature Sign(ReadOnlySpan<byte> digest32)
    {
        if (digest32.Length != 32)
        {
            throw new ArgumentException($"the digest to sign must be 32 bytes, got {digest32.Length}", nameof(digest32));
        }

        // libsecp256k1 signs with the RFC 6979 (HMAC-SHA256) nonce by default and always normalizes s to the low half.
        Span<byte> nativeSignature = stackalloc byte[Secp256k1Native.RecoverableSignatureSize];
        Span<byte> rs = stackalloc byte[64];
        if (!Secp256k1Native.Context.EcdsaSignRecoverable(nativeSignature, digest32, _key)
            || !Secp256k1Native.Context.EcdsaRecoverableSignatureSerializeCompact(rs, out int recoveryId, nativeSignature))
        {
            // The nonce loop fails only with probability ~2^-256 per digest.
            throw new CryptographicException("libsecp256k1 could not sign the digest");
        }

        var signature = new EcdsaSignature(new UInt256(rs[..32]), new UInt256(rs[32..]), (byte)recoveryId);
        Debug.Assert(signature.IsLowS && signature.RecoveryId <= 1, "libsecp256k1 returns low-S signatures with recovery id 0 or 1");
        return signature;
    }

    /// <summary>Signs a 32-byte digest without a recovery id (plain ECDSA, low S), for <see cref="Secp256k1Ecdsa"/>.</summary>
    internal void SignRs(ReadOnlySpan<byte> digest32, Span<byte> rs64)
    {
        Span<byte> nativeSignature = stackalloc byte[Secp256k1Native.SignatureSize];
        if (!Secp256k1Native.Context.EcdsaSign(nativeSignature, digest32, _key)
            || !Secp256k1Native.Context.EcdsaSignatureSerializeCompact(rs64, nativeSignature))
        {
            throw new CryptographicException("libsecp256k1 could not sign the digest");
        }
    }

    /// <summary>A copy of the 32 key bytes (the caller owns the secret from then on).</summary>
    public byte[] ToArray() => (byte[])_key.Clone();

    /// <summary>Names the key by its address only; the secret never appears in logs.</summary>
    public override string ToString() => $"PrivateKey({Address})";
}
