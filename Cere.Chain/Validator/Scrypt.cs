using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Cere.Chain.ValidatorKeys;

/// <summary>
/// The scrypt key derivation function (RFC 7914): PBKDF2-HMAC-SHA256, then ROMix with BlockMix over Salsa20/8 on each of
/// the p blocks, then PBKDF2 again.
/// </summary>
/// <remarks>
/// Our own because BouncyCastle's enforces RFC 7914's "N &lt; 2^(128·r/8)", which rejects N = 2^18 with r = 1, the
/// parameters of the Web3 Secret Storage scrypt test vector; geth (golang.org/x/crypto/scrypt) and ethers accept them.
/// The caller bounds N, r and p (the memory is 128·N·r bytes).
/// </remarks>
internal static class Scrypt
{
    /// <summary>Derives <paramref name="dkLen"/> bytes. <paramref name="n"/> must be a power of two above 1; r and p at least 1.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, int dkLen)
    {
        if (n < 2 || !BitOperations.IsPow2(n) || r < 1 || p < 1 || dkLen < 1)
        {
            throw new ArgumentException($"scrypt needs n a power of two above 1, r ≥ 1, p ≥ 1 and dkLen ≥ 1; got n={n}, r={r}, p={p}, dkLen={dkLen}");
        }

        int blockBytes = 128 * r;
        byte[] b = new byte[checked(blockBytes * p)];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);

        int words = 32 * r;
        uint[] x = new uint[words];
        uint[] y = new uint[words];
        uint[] v = new uint[checked(words * n)];
        try
        {
            for (int i = 0; i < p; i++)
            {
                Span<byte> chunk = b.AsSpan(i * blockBytes, blockBytes);
                for (int w = 0; w < words; w++)
                {
                    x[w] = BinaryPrimitives.ReadUInt32LittleEndian(chunk.Slice(w * 4));
                }

                RoMix(x, y, v, n, r);
                for (int w = 0; w < words; w++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(chunk.Slice(w * 4), x[w]);
                }
            }

            byte[] dk = new byte[dkLen];
            Rfc2898DeriveBytes.Pbkdf2(password, b, dk, 1, HashAlgorithmName.SHA256);
            return dk;
        }
        finally
        {
            // The blocks are password-derived secrets.
            CryptographicOperations.ZeroMemory(b);
            Array.Clear(x);
            Array.Clear(y);
            Array.Clear(v);
        }
    }

    // RFC 7914 §5: fill V with the successive BlockMix outputs, then mix in N data-dependent entries of V. X and Y take
    // turns as input and output (n is even), which saves a copy per BlockMix; the result ends in x.
    private static void RoMix(uint[] x, uint[] y, uint[] v, int n, int r)
    {
        int words = 32 * r;
        for (int i = 0; i < n; i += 2)
        {
            x.AsSpan().CopyTo(v.AsSpan(i * words, words));
            BlockMix(x, [], y, r);
            y.AsSpan().CopyTo(v.AsSpan((i + 1) * words, words));
            BlockMix(y, [], x, r);
        }

        // Integerify: the first word of the last 64-byte block, little-endian; n ≤ 2^31 so the low word suffices.
        int last = (2 * r - 1) * 16;
        uint mask = (uint)(n - 1);
        for (int i = 0; i < n; i += 2)
        {
            BlockMix(x, v.AsSpan((int)(x[last] & mask) * words, words), y, r);
            BlockMix(y, v.AsSpan((int)(y[last] & mask) * words, words), x, r);
        }
    }

    // RFC 7914 §4 on B ⊕ V (V empty: B alone): T = B[2r−1]; for each block T = Salsa20/8(T ⊕ B[i]); the outputs of
    // even blocks fill the first half of Y, those of odd blocks the second. The 16-word XORs run as two 256-bit vectors.
    private static void BlockMix(ReadOnlySpan<uint> b, ReadOnlySpan<uint> v, Span<uint> y, int r)
    {
        ReadOnlySpan<Vector256<uint>> bv = MemoryMarshal.Cast<uint, Vector256<uint>>(b);
        ReadOnlySpan<Vector256<uint>> vv = MemoryMarshal.Cast<uint, Vector256<uint>>(v);
        Span<Vector256<uint>> yv = MemoryMarshal.Cast<uint, Vector256<uint>>(y);
        bool mixV = !v.IsEmpty;
        int last = (2 * r - 1) * 2;
        Vector256<uint> t0 = mixV ? bv[last] ^ vv[last] : bv[last];
        Vector256<uint> t1 = mixV ? bv[last + 1] ^ vv[last + 1] : bv[last + 1];
        for (int i = 0; i < 2 * r; i++)
        {
            int at = i * 2;
            t0 ^= mixV ? bv[at] ^ vv[at] : bv[at];
            t1 ^= mixV ? bv[at + 1] ^ vv[at + 1] : bv[at + 1];
            Salsa208(ref t0, ref t1);
            int dest = (i & 1) == 0 ? i : 2 * r + i - 1;
            yv[dest] = t0;
            yv[dest + 1] = t1;
        }
    }

    // Salsa20/8 core (RFC 7914 §3): 4 double rounds of column then row quarter-rounds, then add the input.
    private static void Salsa208(ref Vector256<uint> lo, ref Vector256<uint> hi)
    {
        Vector256<uint> inLo = lo, inHi = hi;
        uint x0 = inLo.GetElement(0), x1 = inLo.GetElement(1), x2 = inLo.GetElement(2), x3 = inLo.GetElement(3);
        uint x4 = inLo.GetElement(4), x5 = inLo.GetElement(5), x6 = inLo.GetElement(6), x7 = inLo.GetElement(7);
        uint x8 = inHi.GetElement(0), x9 = inHi.GetElement(1), x10 = inHi.GetElement(2), x11 = inHi.GetElement(3);
        uint x12 = inHi.GetElement(4), x13 = inHi.GetElement(5), x14 = inHi.GetElement(6), x15 = inHi.GetElement(7);
        for (int i = 0; i < 8; i += 2)
        {
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7);
            x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13);
            x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7);
            x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13);
            x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7);
            x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13);
            x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7);
            x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13);
            x15 ^= BitOperations.RotateLeft(x11 + x7, 18);

            x1 ^= BitOperations.RotateLeft(x0 + x3, 7);
            x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13);
            x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7);
            x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13);
            x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7);
            x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13);
            x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7);
            x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13);
            x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }

        lo = inLo + Vector256.Create(x0, x1, x2, x3, x4, x5, x6, x7);
        hi = inHi + Vector256.Create(x8, x9, x10, x11, x12, x13, x14, x15);
    }
}
