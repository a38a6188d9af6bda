using System.Security.Cryptography;

namespace Cere.P2P.Crypto;

/// <summary>
/// HKDF-SHA-256 (RFC 5869) over the platform HMAC. Written out because the platform HKDF (OpenSSL) refuses empty input
/// key material, which Noise's Split uses (Noise spec §4.3).
/// </summary>
public static class Hkdf
{
    /// <summary>The largest output RFC 5869 allows for SHA-256: 255 blocks of 32 bytes.</summary>
    public const int MaxOutput = 255 * 32;

    /// <summary>Fills <paramref name="output"/> with HKDF(salt, ikm, info); throws <see cref="ArgumentException"/> beyond <see cref="MaxOutput"/>.</summary>
    public static void DeriveKey(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (output.Length > MaxOutput)
        {
            throw new ArgumentException($"HKDF-SHA-256 output is limited to {MaxOutput} bytes, asked for {output.Length}", nameof(output));
        }

        Span<byte> prk = stackalloc byte[32];
        // RFC 5869 §2.2: an absent salt is HashLen zero bytes, which HMAC treats like the empty key.
        HMACSHA256.HashData(salt, ikm, prk);
        byte[] block = new byte[32 + info.Length + 1];
        Span<byte> t = stackalloc byte[32];
        int previous = 0;
        for (int i = 0, done = 0; done < output.Length; i++)
        {
            // T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i)
            t[..previous].CopyTo(block);
            info.CopyTo(block.AsSpan(previous));
            block[previous + info.Length] = (byte)(i + 1);
            HMACSHA256.HashData(prk, block.AsSpan(0, previous + info.Length + 1), t);
            previous = 32;
            int n = Math.Min(32, output.Length - done);
            t[..n].CopyTo(output[done..]);
            done += n;
        }

        CryptographicOperations.ZeroMemory(prk);
    }
}
