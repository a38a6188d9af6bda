using System.Security.Cryptography;

namespace Cere.P2P.Noise;

/// <summary>The Noise SymmetricState (Noise spec §5.2) for SHA-256: chaining key, handshake hash, and a cipher state.</summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    /// <summary>The libp2p Noise protocol name (libp2p noise spec "Cryptographic Primitives"); exactly 32 bytes, so it is h as is.</summary>
    public static readonly byte[] ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256"u8.ToArray();

    private readonly byte[] _ck = new byte[32];
    private readonly byte[] _h = new byte[32];
    private readonly NoiseCipherState _cipher = new();

    public NoiseSymmetricState()
    {
        // Noise spec §5.2 InitializeSymmetric: a name of HASHLEN bytes or fewer is padded, not hashed.
        ProtocolName.CopyTo(_h, 0);
        _h.CopyTo(_ck, 0);
    }

    public ReadOnlySpan<byte> HandshakeHash => _h;

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_h);
        sha.AppendData(data);
        sha.GetHashAndReset(_h);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[64];
        Hkdf(_ck, inputKeyMaterial, output);
        output[..32].CopyTo(_ck);
        _cipher.InitializeKey(output[32..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int n = _cipher.EncryptWithAd(_h, plaintext, destination);
        MixHash(destination[..n]);
        return n;
    }

    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        int n = _cipher.DecryptWithAd(_h, ciphertext, destination);
        MixHash(ciphertext);
        return n;
    }

    /// <summary>Noise spec §5.2 Split: the initiator sends with the first key, the responder with the second.</summary>
    public (NoiseCipherState First, NoiseCipherState Second) Split()
    {
        Span<byte> output = stackalloc byte[64];
        Hkdf(_ck, [], output);
        NoiseCipherState a = new();
        NoiseCipherState b = new();
        a.InitializeKey(output[..32]);
        b.InitializeKey(output[32..]);
        CryptographicOperations.ZeroMemory(output);
        return (a, b);
    }

    /// <summary>Noise spec §4.3 HKDF with two 32-byte outputs: RFC 5869 HKDF-SHA-256 with salt = ck and empty info.</summary>
    private static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> ikm, Span<byte> output) =>
        Crypto.Hkdf.DeriveKey(ikm, chainingKey, [], output[..64]);

    public void Dispose()
    {
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_ck);
    }
}
