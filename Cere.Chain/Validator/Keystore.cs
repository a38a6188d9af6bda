using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Chain.ValidatorKeys;

/// <summary>
/// Web3 Secret Storage v3 keystores, the JSON key files of geth, ethers and MetaMask: a secp256k1 key encrypted with
/// aes-128-ctr under a key derived from a password by scrypt (or pbkdf2, read only), authenticated by a Keccak-256 MAC.
/// </summary>
/// <remarks>
/// Format: the "Web3 Secret Storage Definition" (ethereum.org, developers/docs/data-structures-and-encoding/web3-secret-storage).
/// Files we write match geth's (lower-case hex without 0x, <c>address</c>, <c>crypto</c>, <c>id</c>, <c>version</c>).
/// </remarks>
public static class Keystore
{
    /// <summary>The only version this format has had since 2015.</summary>
    public const int Version = 3;

    /// <summary>The cipher every v3 implementation supports (the spec's minimum).</summary>
    public const string Cipher = "aes-128-ctr";

    private const int DerivedKeyLength = 32;
    private const int SaltLength = 32;
    private const int IvLength = 16;

    // A keystore names its own cost: without limits a hostile file could ask for terabytes or hours. The bounds sit far
    // above every wallet's defaults (geth 2^18 × 8 × 1, ethers 2^17 × 8 × 1, the spec's vector 2^18 × 1 × 8 = 2^21 work).
    private const long MaxScryptMemoryBytes = 1L << 30;
    private const long MaxScryptWork = 1L << 25;
    private const int MaxPbkdf2Iterations = 1 << 24;
    private const int MaxDerivedKeyLength = 1024;

    /// <summary>Encrypts <paramref name="key"/> under <paramref name="password"/> with geth's standard scrypt cost.</summary>
    public static string Encrypt(PrivateKey key, string password) => Encrypt(key, password, ScryptParameters.Standard);

    /// <summary>
    /// Encrypts <paramref name="key"/> under <paramref name="password"/> (its UTF-8 bytes, as geth takes them): a fresh
    /// 32-byte salt and 16-byte IV, scrypt with <paramref name="scrypt"/>, aes-128-ctr, a random (v4) uuid.
    /// </summary>
    /// <returns>The keystore JSON.</returns>
    /// <exception cref="ArgumentException">The scrypt parameters are out of the range <see cref="Decrypt"/> accepts.</exception>
    public static string Encrypt(PrivateKey key, string password, ScryptParameters scrypt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        if (CheckScrypt(scrypt.N, scrypt.R, scrypt.P, DerivedKeyLength) is string problem)
        {
            throw new ArgumentException(problem, nameof(scrypt));
        }

        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] iv = RandomNumberGenerator.GetBytes(IvLength);
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        byte[] derived = Scrypt.DeriveKey(passwordBytes, salt, scrypt.N, scrypt.R, scrypt.P, DerivedKeyLength);
        byte[] secret = key.ToArray();
        byte[] ciphertext = new byte[secret.Length];
        try
        {
            AesCtr.Transform(derived.AsSpan(0, 16), iv, secret, ciphertext);
            Hash256 mac = Mac(derived, ciphertext);

            ArrayBufferWriter<byte> buffer = new(512);
            using (Utf8JsonWriter w = new(buffer))
            {
                w.WriteStartObject();
                w.WriteString("address", Hex.Encode(key.Address.Bytes, prefix: false));
                w.WriteStartObject("crypto");
                w.WriteString("cipher", Cipher);
                w.WriteString("ciphertext", Hex.Encode(ciphertext, prefix: false));
                w.WriteStartObject("cipherparams");
                w.WriteString("iv", Hex.Encode(iv, prefix: false));
                w.WriteEndObject();
                w.WriteString("kdf", "scrypt");
                w.WriteStartObject("kdfparams");
                w.WriteNumber("dklen", DerivedKeyLength);
                w.WriteNumber("n", scrypt.N);
                w.WriteNumber("p", scrypt.P);
                w.WriteNumber("r", scrypt.R);
                w.WriteString("salt", Hex.Encode(salt, prefix: false));
                w.WriteEndObject();
                w.WriteString("mac", Hex.Encode(mac.Bytes, prefix: false));
                w.WriteEndObject();
                w.WriteString("id", Guid.NewGuid().ToString("D"));
                w.WriteNumber("version", Version);
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(derived);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>
    /// Decrypts a v3 keystore: checks the MAC before anything is decrypted, and checks the decrypted key against the
    /// file's <c>address</c> when it has one. Keys shorter than 32 bytes (written by old geth versions) are left-padded.
    /// </summary>
    /// <exception cref="KeystoreException">
    /// Wrong password (<see cref="KeystoreError.WrongPassword"/>, message <see cref="KeystoreException.WrongPasswordMessage"/>),
    /// malformed JSON, a version other than 3, an unsupported kdf or cipher, KDF parameters out of range, or an address mismatch.
    /// </exception>
    public static PrivateKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"keystore: not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("the file is not a JSON object");
            }

            int version = Int(root, "version", "version");
            if (version != Version)
            {
                throw new KeystoreException(KeystoreError.UnsupportedVersion, $"keystore: version {version} is not supported (only Web3 Secret Storage version 3)");
            }

            // geth writes "crypto"; MyEtherWallet and some others wrote "Crypto".
            if (!root.TryGetProperty("crypto", out JsonElement crypto) && !root.TryGetProperty("Crypto", out crypto))
            {
                throw Malformed("crypto is missing");
            }

            if (crypto.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("crypto must be an object");
            }

            string cipher = Str(crypto, "cipher", "crypto.cipher");
            if (cipher != Cipher)
            {
                throw new KeystoreException(KeystoreError.UnsupportedCipher, $"keystore: cipher '{cipher}' is not supported (only {Cipher})");
            }

            byte[] ciphertext = HexField(crypto, "ciphertext", "crypto.ciphertext");
            if (ciphertext.Length is 0 or > PrivateKey.Size)
            {
                throw Malformed($"crypto.ciphertext is {ciphertext.Length} bytes; an encrypted secp256k1 key is 1 to {PrivateKey.Size}");
            }

            byte[] iv = HexField(Obj(crypto, "cipherparams", "crypto.cipherparams"), "iv", "crypto.cipherparams.iv");
            if (iv.Length != IvLength)
            {
                throw Malformed($"crypto.cipherparams.iv is {iv.Length} bytes, expected {IvLength}");
            }

            byte[] mac = HexField(crypto, "mac", "crypto.mac");
            if (mac.Length != Hash256.Size)
            {
                throw Malformed($"crypto.mac is {mac.Length} bytes, expected {Hash256.Size}");
            }

            KdfSpec kdf = ReadKdf(crypto);
            byte[] derived = DeriveMatching(kdf, password, ciphertext, mac);
            byte[] secret = new byte[PrivateKey.Size];
            try
            {
                AesCtr.Transform(derived.AsSpan(0, 16), iv, ciphertext, secret.AsSpan(PrivateKey.Size - ciphertext.Length));
                PrivateKey key;
                try
                {
                    key = new PrivateKey(secret);
                }
                catch (ArgumentException e)
                {
                    throw new KeystoreException(KeystoreError.Malformed, "keystore: the MAC matches but the decrypted key is not a valid secp256k1 key (zero or not below the curve order)", e);
                }

                CheckAddress(root, key);
                return key;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }

    /// <summary>The v3 MAC: Keccak-256(DK[16..32] ‖ ciphertext).</summary>
    private static Hash256 Mac(ReadOnlySpan<byte> derived, ReadOnlySpan<byte> ciphertext)
    {
        byte[] body = new byte[16 + ciphertext.Length];
        derived.Slice(16, 16).CopyTo(body);
        ciphertext.CopyTo(body.AsSpan(16));
        return Keccak256.Compute(body);
    }

    private static bool MacMatches(byte[] derived, byte[] ciphertext, byte[] mac)
    {
        Hash256 computed = Mac(derived, ciphertext);
        return CryptographicOperations.FixedTimeEquals(computed.Bytes, mac);
    }

    // Derives with the password's UTF-8 bytes as geth does; if the MAC fails and NFKD normalisation changes the password,
    // tries that too, since ethers normalises to NFKD before deriving. ASCII passwords derive once.
    private static byte[] DeriveMatching(KdfSpec kdf, string password, byte[] ciphertext, byte[] mac)
    {
        byte[] derived = Derive(kdf, password);
        if (MacMatches(derived, ciphertext, mac))
        {
            return derived;
        }

        CryptographicOperations.ZeroMemory(derived);
        string normalized = password.Normalize(NormalizationForm.FormKD);
        if (!string.Equals(normalized, password, StringComparison.Ordinal))
        {
            derived = Derive(kdf, normalized);
            if (MacMatches(derived, ciphertext, mac))
            {
                return derived;
            }

            CryptographicOperations.ZeroMemory(derived);
        }

        throw new KeystoreException(KeystoreError.WrongPassword, KeystoreException.WrongPasswordMessage);
    }

    private static byte[] Derive(KdfSpec kdf, string password)
    {
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return kdf.IsScrypt
                ? Scrypt.DeriveKey(passwordBytes, kdf.Salt, kdf.N, kdf.R, kdf.P, kdf.DkLen)
                : Rfc2898DeriveBytes.Pbkdf2(passwordBytes, kdf.Salt, kdf.C, HashAlgorithmName.SHA256, kdf.DkLen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private static KdfSpec ReadKdf(JsonElement crypto)
    {
        string kdf = Str(crypto, "kdf", "crypto.kdf");
        if (kdf is not ("scrypt" or "pbkdf2"))
        {
            throw new KeystoreException(KeystoreError.UnsupportedKdf, $"keystore: kdf '{kdf}' is not supported (scrypt or pbkdf2)");
        }

        JsonElement p = Obj(crypto, "kdfparams", "crypto.kdfparams");
        int dkLen = Int(p, "dklen", "crypto.kdfparams.dklen");
        byte[] salt = HexField(p, "salt", "crypto.kdfparams.salt");
        if (kdf == "scrypt")
        {
            int n = Int(p, "n", "crypto.kdfparams.n");
            int r = Int(p, "r", "crypto.kdfparams.r");
            int parallel = Int(p, "p", "crypto.kdfparams.p");
            if (CheckScrypt(n, r, parallel, dkLen) is string problem)
            {
                throw new KeystoreException(KeystoreError.KdfParametersRejected, $"keystore: {problem}");
            }

            return new KdfSpec(true, salt, dkLen, n, r, parallel, 0);
        }

        string prf = Str(p, "prf", "crypto.kdfparams.prf");
        if (prf != "hmac-sha256")
        {
            throw new KeystoreException(KeystoreError.UnsupportedKdf, $"keystore: pbkdf2 prf '{prf}' is not supported (only hmac-sha256)");
        }

        int c = Int(p, "c", "crypto.kdfparams.c");
        if (c < 1 || c > MaxPbkdf2Iterations || dkLen < DerivedKeyLength || dkLen > MaxDerivedKeyLength)
        {
            throw new KeystoreException(KeystoreError.KdfParametersRejected,
                $"keystore: pbkdf2 needs 1 ≤ c ≤ {MaxPbkdf2Iterations} and {DerivedKeyLength} ≤ dklen ≤ {MaxDerivedKeyLength}; got c={c}, dklen={dkLen}");
        }

        return new KdfSpec(false, salt, dkLen, 0, 0, 0, c);
    }

    // Null when the parameters are acceptable, else what is wrong with them.
    private static string? CheckScrypt(int n, int r, int p, int dkLen)
    {
        if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1)
        {
            return $"scrypt needs n a power of two above 1, r ≥ 1 and p ≥ 1; got n={n}, r={r}, p={p}";
        }

        if (dkLen < DerivedKeyLength || dkLen > MaxDerivedKeyLength)
        {
            return $"scrypt dklen must be {DerivedKeyLength} to {MaxDerivedKeyLength}; got {dkLen}";
        }

        long memory = 128L * n * r;
        long work = (long)n * r * p;
        if (memory > MaxScryptMemoryBytes || work > MaxScryptWork)
        {
            return $"scrypt n={n}, r={r}, p={p} would need {memory >> 20} MiB and {work} block mixes; the limits are {MaxScryptMemoryBytes >> 20} MiB and {MaxScryptWork}";
        }

        return null;
    }

    private static void CheckAddress(JsonElement root, PrivateKey key)
    {
        if (!root.TryGetProperty("address", out JsonElement a) || a.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        byte[] address = HexField(root, "address", "address");
        if (address.Length != Address.Size)
        {
            throw Malformed($"address is {address.Length} bytes, expected {Address.Size}");
        }

        if (!key.Address.Bytes.SequenceEqual(address))
        {
            throw new KeystoreException(KeystoreError.AddressMismatch,
                $"keystore: the key decrypts to {key.Address.ToChecksumString()} but the file names address {new Address(address).ToChecksumString()}");
        }
    }

    private static KeystoreException Malformed(string what) => new(KeystoreError.Malformed, $"keystore: {what}");

    private static JsonElement Obj(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : throw Malformed($"{path} must be an object");

    private static string Str(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Malformed($"{path} must be a string");

    private static int Int(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)
            ? i
            : throw Malformed($"{path} must be an integer");

    private static byte[] HexField(JsonElement parent, string name, string path)
    {
        string text = Str(parent, name, path);
        ReadOnlySpan<char> digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text;
        if (digits.Length % 2 != 0)
        {
            throw Malformed($"{path} has an odd number of hex digits");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw Malformed($"{path} is not hex");
        }
    }

    private sealed record KdfSpec(bool IsScrypt, byte[] Salt, int DkLen, int N, int R, int P, int C);
}
