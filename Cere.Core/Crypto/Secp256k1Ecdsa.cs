namespace Cere.Core.Crypto;

/// <summary>Plain secp256k1 ECDSA (no recovery id) over a caller-computed 32-byte hash, as libp2p secp256k1 peer keys and Wycheproof use it.</summary>
/// <remarks>
/// Verification returns false, never throws, for any malformed public key or signature. Public keys are SEC1:
/// 33 bytes compressed (0x02/0x03) or 65 bytes uncompressed (0x04); the hybrid forms 0x06/0x07 are refused.
/// </remarks>
public static class Secp256k1Ecdsa
{
    /// <summary>Verifies a strict-DER signature (see <see cref="EcdsaDer"/>).</summary>
    /// <param name="publicKey">SEC1 public key, 33 or 65 bytes.</param>
    /// <param name="messageHash32">The 32-byte hash that was signed.</param>
    /// <param name="derSignature">DER <c>SEQUENCE { r, s }</c>.</param>
    /// <param name="requireLowS">Reject s &gt; n/2 (Bitcoin's and EIP-2's malleability rule); otherwise either s verifies.</param>
    /// <exception cref="ArgumentException">The hash is not 32 bytes (a caller bug, not a bad signature).</exception>
    public static bool VerifyDer(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messageHash32, ReadOnlySpan<byte> derSignature, bool requireLowS)
    {
        CheckHash(messageHash32);
        Span<byte> rs = stackalloc byte[64];
        return EcdsaDer.TryDecode(derSignature, rs) && VerifyRs(publicKey, messageHash32, rs, requireLowS);
    }

    /// <summary>Verifies a 64-byte r ‖ s signature (IEEE P1363 form); any other length is a bad signature.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public static bool VerifyCompact(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messageHash32, ReadOnlySpan<byte> rs64, bool requireLowS)
    {
        CheckHash(messageHash32);
        return rs64.Length == 64 && VerifyRs(publicKey, messageHash32, rs64, requireLowS);
    }

    /// <summary>Signs a 32-byte hash (RFC 6979 nonce, low s) and returns the strict-DER signature.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public static byte[] SignDer(PrivateKey key, ReadOnlySpan<byte> messageHash32)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckHash(messageHash32);
        Span<byte> rs = stackalloc byte[64];
        key.SignRs(messageHash32, rs);
        return EcdsaDer.Encode(rs);
    }

    /// <summary>Signs a 32-byte hash (RFC 6979 nonce, low s) into 64 bytes r ‖ s.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes or the destination not 64.</exception>
    public static void SignCompact(PrivateKey key, ReadOnlySpan<byte> messageHash32, Span<byte> rs64)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckHash(messageHash32);
        if (rs64.Length != 64)
        {
            throw new ArgumentException($"r ‖ s is 64 bytes, the destination has {rs64.Length}", nameof(rs64));
        }

        key.SignRs(messageHash32, rs64);
    }

    private static bool VerifyRs(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messageHash32, ReadOnlySpan<byte> rs64, bool requireLowS)
    {
        UInt256 r = new(rs64[..32]);
        UInt256 s = new(rs64[32..]);
        if (!Secp256k1Curve.IsValidScalar(r) || !Secp256k1Curve.IsValidScalar(s))
        {
            return false;
        }

        bool highS = UInt256.LessThan(Secp256k1Curve.HalfOrder, s);
        if (highS && requireLowS)
        {
            return false;
        }

        if (!IsSec1Encoding(publicKey))
        {
            return false;
        }

        var context = Secp256k1Native.Context;
        Span<byte> nativePublicKey = stackalloc byte[Secp256k1Native.PublicKeySize];
        if (!context.EcPubkeyParse(nativePublicKey, publicKey))
        {
            return false;
        }

        // libsecp256k1 verifies only low-s signatures; (r, s) and (r, n − s) are equally valid ECDSA, so a permitted
        // high s is checked as its low twin.
        Span<byte> normalized = stackalloc byte[64];
        rs64.CopyTo(normalized);
        if (highS)
        {
            Secp256k1Curve.NegateModOrder(s).WriteBigEndian(normalized[32..]);
        }

        Span<byte> nativeSignature = stackalloc byte[Secp256k1Native.SignatureSize];
        return context.EcdsaSignatureParseCompact(nativeSignature, normalized)
            && context.EcdsaVerify(nativeSignature, messageHash32, nativePublicKey);
    }

    private static bool IsSec1Encoding(ReadOnlySpan<byte> publicKey) => publicKey.Length switch
    {
        33 => publicKey[0] is 0x02 or 0x03,
        65 => publicKey[0] == 0x04,
        _ => false,
    };

    private static void CheckHash(ReadOnlySpan<byte> messageHash32)
    {
        if (messageHash32.Length != 32)
        {
            throw new ArgumentException($"the message hash is 32 bytes, got {messageHash32.Length}", nameof(messageHash32));
        }
    }
}
