using System.Security.Cryptography;

namespace Cere.Chain.ValidatorKeys;

/// <summary>AES-CTR with a 16-byte initial counter block incremented as one 128-bit big-endian number (Go's cipher.NewCTR, which geth uses).</summary>
internal static class AesCtr
{
    /// <summary>XORs <paramref name="input"/> with the keystream of <paramref name="key"/> and <paramref name="iv"/> into <paramref name="output"/> (encrypts and decrypts alike).</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != 16)
        {
            throw new ArgumentException($"the AES-CTR initial counter is 16 bytes, got {iv.Length}", nameof(iv));
        }

        int blocks = (input.Length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        Span<byte> counter = stackalloc byte[16];
        iv.CopyTo(counter);
        for (int b = 0; b < blocks; b++)
        {
            counter.CopyTo(counters.AsSpan(b * 16));
            Increment(counter);
        }

        using Aes aes = Aes.Create();
        aes.Key = key.ToArray();
        byte[] stream = aes.EncryptEcb(counters, PaddingMode.None);
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ stream[i]);
        }

        CryptographicOperations.ZeroMemory(stream);
    }

    // +1 modulo 2^128, big-endian: a byte that wraps to zero carries into the one before it.
    private static void Increment(Span<byte> counter)
    {
        for (int i = counter.Length - 1; i >= 0; i--)
        {
            if (++counter[i] != 0)
            {
                return;
            }
        }
    }
}
