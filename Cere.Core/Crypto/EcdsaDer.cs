namespace Cere.Core.Crypto;

/// <summary>Strict DER for ECDSA signatures, <c>SEQUENCE { r INTEGER, s INTEGER }</c> (X.690 §8, §10; SEC1 §C.5), as libp2p secp256k1 keys sign.</summary>
/// <remarks>
/// Only the distinguished encoding is accepted: short-form lengths, minimal positive INTEGERs, nothing after the
/// sequence. BER variants (long-form or indefinite lengths, padded or negative integers) are rejected, as
/// Wycheproof expects, so one signature has exactly one encoding.
/// </remarks>
public static class EcdsaDer
{
    /// <summary>Longest DER signature for a 256-bit curve: 2 + 2 × (2 + 33).</summary>
    public const int MaxSize = 72;

    /// <summary>Decodes a DER signature into r ‖ s (64 bytes, big-endian). Only the encoding is checked here, not the range of r and s.</summary>
    /// <returns>False for anything that is not exactly one strict-DER signature with r and s below 2^256.</returns>
    /// <exception cref="ArgumentException">The destination is not 64 bytes.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> der, Span<byte> rs64)
    {
        if (rs64.Length != 64)
        {
            throw new ArgumentException($"r ‖ s is 64 bytes, the destination has {rs64.Length}", nameof(rs64));
        }

        // 0x30, a one-byte length that covers exactly the rest of the input.
        if (der.Length < 8 || der.Length > MaxSize || der[0] != 0x30 || der[1] != der.Length - 2)
        {
            return false;
        }

        int position = 2;
        return TryReadInteger(der, ref position, rs64[..32])
            && TryReadInteger(der, ref position, rs64[32..])
            && position == der.Length;
    }

    /// <summary>Encodes r ‖ s (64 bytes, big-endian) as a strict DER signature.</summary>
    /// <exception cref="ArgumentException">The input is not 64 bytes.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> rs64)
    {
        if (rs64.Length != 64)
        {
            throw new ArgumentException($"r ‖ s is 64 bytes, got {rs64.Length}", nameof(rs64));
        }

        ReadOnlySpan<byte> r = Minimal(rs64[..32]);
        ReadOnlySpan<byte> s = Minimal(rs64[32..]);
        int rLength = r.Length + (r[0] >= 0x80 ? 1 : 0);
        int sLength = s.Length + (s[0] >= 0x80 ? 1 : 0);
        byte[] der = new byte[2 + 2 + rLength + 2 + sLength];
        der[0] = 0x30;
        der[1] = (byte)(der.Length - 2);
        int position = 2;
        WriteInteger(der, ref position, r, rLength);
        WriteInteger(der, ref position, s, sLength);
        return der;
    }

    private static bool TryReadInteger(ReadOnlySpan<byte> der, ref int position, Span<byte> value32)
    {
        if (der.Length - position < 3 || der[position] != 0x02)
        {
            return false;
        }

        int length = der[position + 1];

        // Short-form length only (anything ≥ 0x80 is long form or indefinite), at least one content byte, inside the input.
        if (length == 0 || length >= 0x80 || length > der.Length - position - 2)
        {
            return false;
        }

        ReadOnlySpan<byte> content = der.Slice(position + 2, length);
        position += 2 + length;

        // A set top bit is a negative number; a leading zero is allowed only to keep the next byte's top bit clear.
        if (content[0] >= 0x80 || (content.Length > 1 && content[0] == 0 && content[1] < 0x80))
        {
            return false;
        }

        if (content[0] == 0 && content.Length > 1)
        {
            content = content[1..];
        }

        if (content.Length > 32)
        {
            return false;
        }

        value32.Clear();
        content.CopyTo(value32[(32 - content.Length)..]);
        return true;
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value32)
    {
        int start = 0;
        while (start < 31 && value32[start] == 0)
        {
            start++;
        }

        return value32[start..];
    }

    private static void WriteInteger(byte[] der, ref int position, ReadOnlySpan<byte> magnitude, int length)
    {
        der[position++] = 0x02;
        der[position++] = (byte)length;
        if (length > magnitude.Length)
        {
            der[position++] = 0;
        }

        magnitude.CopyTo(der.AsSpan(position));
        position += magnitude.Length;
    }
}
