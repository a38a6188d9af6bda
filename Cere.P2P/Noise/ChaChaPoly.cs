using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Cere.P2P.Noise;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with a 16-byte tag after the ciphertext: the platform implementation where the OS
/// provides it (OpenSSL here), BouncyCastle otherwise.
/// </summary>
internal sealed class ChaChaPoly : IDisposable
{
    public const int TagSize = 16;
    public const int KeySize = 32;
    public const int NonceSize = 12;

    private readonly ChaCha20Poly1305? _platform;
    private readonly Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305? _managed;
    private readonly byte[]? _key;

    public ChaChaPoly(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new CryptographicException($"ChaCha20-Poly1305 key must be 32 bytes, got {key.Length}");
        }

        if (ChaCha20Poly1305.IsSupported)
        {
            _platform = new ChaCha20Poly1305(key);
        }
        else
        {
            _managed = new Org.BouncyCastle.Crypto.Modes.ChaCha20Poly1305();
            _key = key.ToArray();
        }
    }

    /// <summary>True when the OS implementation is used.</summary>
    public static bool UsesPlatform => ChaCha20Poly1305.IsSupported;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (ciphertext then tag; length + 16).</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ad, Span<byte> destination)
    {
        CheckNonce(nonce);
        if (_platform is not null)
        {
            _platform.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagSize), ad);
            return;
        }

        _managed!.Init(true, new AeadParameters(new KeyParameter(_key), TagSize * 8, nonce.ToArray(), ad.ToArray()));
        int n = _managed.ProcessBytes(plaintext, destination);
        _managed.DoFinal(destination[n..]);
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> (which ends with the tag) into <paramref name="destination"/>; returns false
    /// when authentication fails (destination content is then undefined).
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> ad, Span<byte> destination)
    {
        CheckNonce(nonce);
        if (ciphertext.Length < TagSize)
        {
            return false;
        }

        int length = ciphertext.Length - TagSize;
        if (_platform is not null)
        {
            try
            {
                _platform.Decrypt(nonce, ciphertext[..length], ciphertext[length..], destination[..length], ad);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        try
        {
            _managed!.Init(false, new AeadParameters(new KeyParameter(_key), TagSize * 8, nonce.ToArray(), ad.ToArray()));
            int n = _managed.ProcessBytes(ciphertext, destination);
            _managed.DoFinal(destination[n..]);
            return true;
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            return false;
        }
    }

    private static void CheckNonce(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceSize)
        {
            throw new CryptographicException($"ChaCha20-Poly1305 nonce must be 12 bytes, got {nonce.Length}");
        }
    }

    public void Dispose() => _platform?.Dispose();
}
