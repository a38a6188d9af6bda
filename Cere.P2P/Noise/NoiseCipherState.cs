using System.Buffers.Binary;

namespace Cere.P2P.Noise;

/// <summary>The Noise CipherState (Noise spec §5.1): a key and a 64-bit nonce counter; ChaChaPoly nonce = 4 zero bytes ‖ n little-endian.</summary>
internal sealed class NoiseCipherState : IDisposable
{
    private ChaChaPoly? _cipher;
    private ulong _nonce;

    public bool HasKey => _cipher is not null;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _cipher?.Dispose();
        _cipher = new ChaChaPoly(key);
        _nonce = 0;
    }

    /// <summary>Encrypts into <paramref name="destination"/>; without a key, copies the plaintext (Noise spec §5.1). Returns bytes written.</summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_cipher is null)
        {
            plaintext.CopyTo(destination);
            return plaintext.Length;
        }

        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        _cipher.Encrypt(nonce, plaintext, ad, destination);
        return plaintext.Length + ChaChaPoly.TagSize;
    }

    /// <summary>Decrypts into <paramref name="destination"/>; throws <see cref="NoiseException"/> if authentication fails. Returns bytes written.</summary>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        if (_cipher is null)
        {
            ciphertext.CopyTo(destination);
            return ciphertext.Length;
        }

        Span<byte> nonce = stackalloc byte[12];
        NextNonce(nonce);
        if (!_cipher.TryDecrypt(nonce, ciphertext, ad, destination))
        {
            throw new NoiseException("Noise message failed authentication (bad tag or wrong key)");
        }

        return ciphertext.Length - ChaChaPoly.TagSize;
    }

    private void NextNonce(Span<byte> nonce)
    {
        // Noise spec §5.1: 2^64-1 is reserved; a session never gets near it, but refusing is cheaper than a reused nonce.
        if (_nonce == ulong.MaxValue)
        {
            throw new NoiseException("Noise nonce exhausted");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce++);
    }

    public void Dispose() => _cipher?.Dispose();
}
