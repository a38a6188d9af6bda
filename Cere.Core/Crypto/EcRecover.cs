namespace Cere.Core.Crypto;

/// <summary>Ethereum's ecrecover: the public key or address that signed a 32-byte digest, from (r, s, recovery id).</summary>
/// <remarks>
/// Returns false (never throws) for r or s outside [1, n−1], a recovery id above 1, or a signature that matches
/// no curve point. It does not enforce low s: transactions do (EIP-2), the ECRECOVER precompile does not.
/// </remarks>
public static class EcRecover
{
    /// <summary>Recovers the signer's public key as 64 bytes X‖Y.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes or the destination not 64 (caller bugs, not bad signatures).</exception>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> digest32, in EcdsaSignature sig, Span<byte> publicKey64)
    {
        CheckLengths(digest32, publicKey64);

        // Yellow Paper appendix F: v ∈ {27, 28}, i.e. recovery id 0 or 1; ids 2 and 3 (r ≥ n as an x coordinate) are not Ethereum's.
        if (sig.RecoveryId > 1 || !sig.HasValidRange)
        {
            return false;
        }

        Span<byte> rs = stackalloc byte[64];
        sig.R.WriteBigEndian(rs[..32]);
        sig.S.WriteBigEndian(rs[32..]);
        return Recover(digest32, rs, sig.RecoveryId, publicKey64);
    }

    /// <summary>Recovers from raw big-endian r ‖ s (64 bytes) and a recovery id, as the ECRECOVER precompile reads them; same rules.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes, r ‖ s not 64, or the destination not 64.</exception>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> publicKey64)
    {
        CheckLengths(digest32, publicKey64);
        if (rs64.Length != 64)
        {
            throw new ArgumentException($"r ‖ s is 64 bytes, got {rs64.Length}", nameof(rs64));
        }

        if ((uint)recoveryId > 1
            || !Secp256k1Curve.IsValidScalar(new UInt256(rs64[..32]))
            || !Secp256k1Curve.IsValidScalar(new UInt256(rs64[32..])))
        {
            return false;
        }

        return Recover(digest32, rs64, recoveryId, publicKey64);
    }

    /// <summary>Recovers the signer's address (last 20 bytes of Keccak-256 of the public key).</summary>
    public static bool TryRecoverAddress(in Hash256 digest, in EcdsaSignature sig, out Address address)
    {
        Span<byte> publicKey = stackalloc byte[64];
        if (!TryRecoverPublicKey(digest.Bytes, sig, publicKey))
        {
            address = default;
            return false;
        }

        address = Address.FromPublicKey(publicKey);
        return true;
    }

    private static bool Recover(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> publicKey64)
    {
        Span<byte> nativeSignature = stackalloc byte[Secp256k1Native.RecoverableSignatureSize];
        Span<byte> nativePublicKey = stackalloc byte[Secp256k1Native.PublicKeySize];
        var context = Secp256k1Native.Context;
        return context.EcdsaRecoverableSignatureParseCompact(nativeSignature, rs64, recoveryId)
            && context.EcdsaRecover(nativePublicKey, nativeSignature, digest32)
            && Secp256k1Native.TrySerializeXY(nativePublicKey, publicKey64);
    }

    private static void CheckLengths(ReadOnlySpan<byte> digest32, Span<byte> publicKey64)
    {
        if (digest32.Length != 32)
        {
            throw new ArgumentException($"the signed digest is 32 bytes, got {digest32.Length}", nameof(digest32));
        }

        if (publicKey64.Length != 64)
        {
            throw new ArgumentException($"the public key destination must be 64 bytes (X‖Y), got {publicKey64.Length}", nameof(publicKey64));
        }
    }
}
