namespace Cere.Core.Crypto;

/// <summary>A recoverable secp256k1 ECDSA signature: r, s and the recovery id (the parity of R's y, 0 or 1).</summary>
/// <remarks>
/// The value is whatever was decoded: r, s and the recovery id are not checked here, so that garbage from the
/// wire can be held and rejected by <see cref="EcRecover"/> (which returns false) rather than by an exception.
/// Use <see cref="HasValidRange"/> and <see cref="IsLowS"/> to apply the rules a context needs.
/// </remarks>
public readonly struct EcdsaSignature : IEquatable<EcdsaSignature>
{
    /// <summary>Length of the compact form r(32) ‖ s(32) ‖ v(1).</summary>
    public const int CompactSize = 65;

    /// <summary>Builds a signature from its parts (not validated; see the type remarks).</summary>
    public EcdsaSignature(in UInt256 r, in UInt256 s, byte recoveryId)
    {
        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    /// <summary>r: the x coordinate of the nonce point, mod n.</summary>
    public UInt256 R { get; }

    /// <summary>s.</summary>
    public UInt256 S { get; }

    /// <summary>The recovery id: 0 or 1 for a valid Ethereum signature (v − 27 for legacy v, y parity for typed transactions).</summary>
    public byte RecoveryId { get; }

    /// <summary>True when s ≤ n/2, as EIP-2 requires of transaction signatures.</summary>
    public bool IsLowS => !UInt256.LessThan(Secp256k1Curve.HalfOrder, S);

    /// <summary>True when 1 ≤ r &lt; n and 1 ≤ s &lt; n.</summary>
    public bool HasValidRange => Secp256k1Curve.IsValidScalar(R) && Secp256k1Curve.IsValidScalar(S);

    /// <summary>The same signature with s replaced by n − s when s is high (and the recovery id flipped), so it recovers the same key.</summary>
    /// <remarks>Unchanged when s is already low or the range is invalid.</remarks>
    public EcdsaSignature ToLowS()
    {
        if (IsLowS || !HasValidRange)
        {
            return this;
        }

        return new EcdsaSignature(R, Secp256k1Curve.NegateModOrder(S), (byte)(RecoveryId ^ 1));
    }

    /// <summary>Writes r(32) ‖ s(32) ‖ v(1 byte: the recovery id).</summary>
    /// <exception cref="ArgumentException">The destination is not 65 bytes.</exception>
    public void WriteCompact(Span<byte> dest65)
    {
        if (dest65.Length != CompactSize)
        {
            throw new ArgumentException($"a compact recoverable signature is {CompactSize} bytes, the destination has {dest65.Length}", nameof(dest65));
        }

        R.WriteBigEndian(dest65[..32]);
        S.WriteBigEndian(dest65.Slice(32, 32));
        dest65[64] = RecoveryId;
    }

    /// <summary>Writes r(32) ‖ s(32) (the IEEE P1363 form, without the recovery id).</summary>
    /// <exception cref="ArgumentException">The destination is not 64 bytes.</exception>
    public void WriteRs(Span<byte> dest64)
    {
        if (dest64.Length != 64)
        {
            throw new ArgumentException($"r ‖ s is 64 bytes, the destination has {dest64.Length}", nameof(dest64));
        }

        R.WriteBigEndian(dest64[..32]);
        S.WriteBigEndian(dest64[32..]);
    }

    /// <summary>A new 65-byte array with the compact form.</summary>
    public byte[] ToCompact()
    {
        byte[] result = new byte[CompactSize];
        WriteCompact(result);
        return result;
    }

    /// <summary>Reads r(32) ‖ s(32) ‖ v(1). v is taken as the recovery id as it is (no 27/28 offset is removed); nothing is validated.</summary>
    /// <exception cref="ArgumentException">The input is not 65 bytes.</exception>
    public static EcdsaSignature FromCompact(ReadOnlySpan<byte> rsv65)
    {
        if (rsv65.Length != CompactSize)
        {
            throw new ArgumentException($"a compact recoverable signature is {CompactSize} bytes, got {rsv65.Length}", nameof(rsv65));
        }

        return new EcdsaSignature(new UInt256(rsv65[..32]), new UInt256(rsv65.Slice(32, 32)), rsv65[64]);
    }

    /// <inheritdoc/>
    public bool Equals(EcdsaSignature other) => R == other.R && S == other.S && RecoveryId == other.RecoveryId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EcdsaSignature other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(R, S, RecoveryId);

    /// <summary>0x-prefixed hex of the compact form.</summary>
    public override string ToString()
    {
        Span<byte> buffer = stackalloc byte[CompactSize];
        WriteCompact(buffer);
        return Hex.Encode(buffer);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(EcdsaSignature left, EcdsaSignature right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(EcdsaSignature left, EcdsaSignature right) => !left.Equals(right);
}
