using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cere.Core.Crypto;

/// <summary>
/// BIP-39 seeds and BIP-32 derivation of secp256k1 keys, so that the dev chain's accounts are the ones every
/// Ethereum dev tool derives from a mnemonic (m/44'/60'/0'/0/i).
/// </summary>
public static class HdKeyDerivation
{
    /// <summary>The path Ethereum wallets use for account <c>i</c>: m/44'/60'/0'/0/i.</summary>
    public static string EthereumAccountPath(int index) => $"m/44'/60'/0'/0/{index}";

    private const uint Hardened = 0x8000_0000;

    /// <summary>BIP-39: the 64-byte seed of a mnemonic (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" + passphrase, NFKD).</summary>
    public static byte[] SeedFromMnemonic(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        ArgumentNullException.ThrowIfNull(passphrase);
        string words = string.Join(' ', mnemonic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        byte[] password = Encoding.UTF8.GetBytes(words.Normalize(NormalizationForm.FormKD));
        byte[] salt = Encoding.UTF8.GetBytes(("mnemonic" + passphrase).Normalize(NormalizationForm.FormKD));
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, 2048, HashAlgorithmName.SHA512, 64);
    }

    /// <summary>Derives the key at <paramref name="path"/> (e.g. "m/44'/60'/0'/0/0") from a BIP-39 seed.</summary>
    /// <exception cref="FormatException">The path is not of the form m/a/b'/….</exception>
    public static PrivateKey Derive(ReadOnlySpan<byte> seed, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] parts = path.Split('/');
        if (parts.Length == 0 || parts[0] != "m")
        {
            throw new FormatException($"a derivation path starts with 'm/': {path}");
        }

        byte[] master = HMACSHA512.HashData("Bitcoin seed"u8, seed);
        byte[] key = master[..32];
        byte[] chainCode = master[32..];
        for (int i = 1; i < parts.Length; i++)
        {
            string p = parts[i];
            bool hardened = p.EndsWith('\'') || p.EndsWith('h');
            if (!uint.TryParse(hardened ? p[..^1] : p, out uint index) || index >= Hardened)
            {
                throw new FormatException($"bad path element '{p}' in {path}");
            }

            (key, chainCode) = Child(key, chainCode, hardened ? index | Hardened : index);
        }

        return new PrivateKey(key);
    }

    /// <summary>Derives the key of Ethereum account <paramref name="index"/> from a mnemonic.</summary>
    public static PrivateKey DeriveAccount(string mnemonic, int index, string passphrase = "") =>
        Derive(SeedFromMnemonic(mnemonic, passphrase), EthereumAccountPath(index));

    private static (byte[] Key, byte[] ChainCode) Child(byte[] parentKey, byte[] chainCode, uint index)
    {
        // BIP-32 CKDpriv: hardened children hash 0x00 ‖ k, others the compressed public key; then k_i = IL + k mod n.
        byte[] data = new byte[37];
        if (index >= Hardened)
        {
            parentKey.CopyTo(data, 1);
        }
        else
        {
            new PrivateKey(parentKey).CompressedPublicKey.CopyTo(data, 0);
        }

        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), index);
        byte[] i64 = HMACSHA512.HashData(chainCode, data);
        UInt256 il = new(i64.AsSpan(0, 32));
        if (il >= Secp256k1Curve.Order)
        {
            throw new CryptographicException("BIP-32: IL is not below the curve order (probability below 2^-127); use the next index");
        }

        UInt256.AddMod(il, new UInt256(parentKey), Secp256k1Curve.Order, out UInt256 child);
        if (child.IsZero)
        {
            throw new CryptographicException("BIP-32: derived key is zero; use the next index");
        }

        byte[] childKey = new byte[32];
        child.WriteBigEndian(childKey);
        return (childKey, i64[32..]);
    }
}
