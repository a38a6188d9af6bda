using System.Text.Json;
using System.Text.Json.Nodes;
using Cere.Chain.ValidatorKeys;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>Keystores we write: their shape, round trips, and a clear, specific error for every kind of bad file.</summary>
public class KeystoreTests
{
    private static readonly PrivateKey Key = new(Hex.Decode("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"));
    private static readonly Lazy<string> LightFile = new(() => Keystore.Encrypt(Key, "pw", ScryptParameters.Light));

    [Test]
    public void ALightKeystoreHasGethsShapeAndDecryptsBack()
    {
        JsonElement j = JsonDocument.Parse(LightFile.Value).RootElement;
        Assert.That(j.GetProperty("version").GetInt32(), Is.EqualTo(3));
        Assert.That(j.GetProperty("address").GetString(), Is.EqualTo(Hex.Encode(Key.Address.Bytes, prefix: false)));
        Assert.That(Guid.TryParse(j.GetProperty("id").GetString(), out Guid id), Is.True);
        Assert.That(id.Version, Is.EqualTo(4), "a random uuid");
        JsonElement c = j.GetProperty("crypto");
        Assert.That(c.GetProperty("cipher").GetString(), Is.EqualTo("aes-128-ctr"));
        Assert.That(c.GetProperty("kdf").GetString(), Is.EqualTo("scrypt"));
        JsonElement p = c.GetProperty("kdfparams");
        Assert.That((p.GetProperty("n").GetInt32(), p.GetProperty("r").GetInt32(), p.GetProperty("p").GetInt32(), p.GetProperty("dklen").GetInt32()),
            Is.EqualTo((4096, 8, 6, 32)));
        Assert.That(Hex.Decode(p.GetProperty("salt").GetString()!), Has.Length.EqualTo(32));
        Assert.That(Hex.Decode(c.GetProperty("cipherparams").GetProperty("iv").GetString()!), Has.Length.EqualTo(16));
        Assert.That(Hex.Decode(c.GetProperty("ciphertext").GetString()!), Has.Length.EqualTo(32));
        Assert.That(Hex.Decode(c.GetProperty("mac").GetString()!), Has.Length.EqualTo(32));
        Assert.That(Keystore.Decrypt(LightFile.Value, "pw").ToArray(), Is.EqualTo(Key.ToArray()));
    }

    // The standard file's decryption is checked by ethers in KeystoreEthersTests (each standard derivation costs 256 MiB and a second).
    [Test]
    public void TheDefaultIsGethsStandardScrypt()
    {
        string json = Keystore.Encrypt(Key, "pw");
        JsonElement p = JsonDocument.Parse(json).RootElement.GetProperty("crypto").GetProperty("kdfparams");
        Assert.That((p.GetProperty("n").GetInt32(), p.GetProperty("r").GetInt32(), p.GetProperty("p").GetInt32()), Is.EqualTo((262144, 8, 1)));
    }

    [Test]
    public void TwoEncryptionsOfOneKeyShareNoSaltIvOrId()
    {
        JsonElement a = JsonDocument.Parse(Keystore.Encrypt(Key, "pw", ScryptParameters.Light)).RootElement;
        JsonElement b = JsonDocument.Parse(LightFile.Value).RootElement;
        Assert.That(a.GetProperty("id").GetString(), Is.Not.EqualTo(b.GetProperty("id").GetString()));
        Assert.That(Salt(a), Is.Not.EqualTo(Salt(b)));
        Assert.That(a.GetProperty("crypto").GetProperty("ciphertext").GetString(), Is.Not.EqualTo(b.GetProperty("crypto").GetProperty("ciphertext").GetString()));

        static string? Salt(JsonElement e) => e.GetProperty("crypto").GetProperty("kdfparams").GetProperty("salt").GetString();
    }

    [Test]
    public void CapitalCryptoAnd0xPrefixedHexAreRead()
    {
        JsonObject o = Parse(LightFile.Value);
        JsonNode crypto = o["crypto"]!;
        o.Remove("crypto");
        o["Crypto"] = crypto;
        crypto["ciphertext"] = "0x" + crypto["ciphertext"]!.GetValue<string>();
        o["address"] = "0x" + o["address"]!.GetValue<string>();
        Assert.That(Keystore.Decrypt(o.ToJsonString(), "pw").Address, Is.EqualTo(Key.Address));
    }

    [Test]
    public void AFileWithoutAddressStillDecrypts()
    {
        JsonObject o = Parse(LightFile.Value);
        o.Remove("address");
        Assert.That(Keystore.Decrypt(o.ToJsonString(), "pw").Address, Is.EqualTo(Key.Address));
    }

    [Test]
    public void NonAsciiPasswordsRoundTripAsUtf8()
    {
        string json = Keystore.Encrypt(Key, "pässwörd ключ 🔑", ScryptParameters.Light);
        Assert.That(Keystore.Decrypt(json, "pässwörd ключ 🔑").Address, Is.EqualTo(Key.Address));
        Assert.Throws<KeystoreException>(() => Keystore.Decrypt(json, "passwort"));
    }

    private static IEnumerable<TestCaseData> BadFiles()
    {
        static TestCaseData Case(string name, Action<JsonObject> edit, KeystoreError error, string messagePart) =>
            new TestCaseData(edit, error, messagePart).SetName(name);

        yield return Case("version_2", o => o["version"] = 2, KeystoreError.UnsupportedVersion, "version 2");
        yield return Case("version_missing", o => o.Remove("version"), KeystoreError.Malformed, "version must be an integer");
        yield return Case("version_as_string", o => o["version"] = "3", KeystoreError.Malformed, "version must be an integer");
        yield return Case("crypto_missing", o => o.Remove("crypto"), KeystoreError.Malformed, "crypto is missing");
        yield return Case("crypto_not_object", o => o["crypto"] = "x", KeystoreError.Malformed, "crypto must be an object");
        yield return Case("kdf_argon2", o => C(o)["kdf"] = "argon2id", KeystoreError.UnsupportedKdf, "kdf 'argon2id'");
        yield return Case("kdf_missing", o => C(o).Remove("kdf"), KeystoreError.Malformed, "crypto.kdf must be a string");
        yield return Case("cipher_cbc", o => C(o)["cipher"] = "aes-128-cbc", KeystoreError.UnsupportedCipher, "cipher 'aes-128-cbc'");
        yield return Case("scrypt_n_not_power_of_two", o => P(o)["n"] = 4095, KeystoreError.KdfParametersRejected, "power of two");
        yield return Case("scrypt_n_one", o => P(o)["n"] = 1, KeystoreError.KdfParametersRejected, "power of two");
        yield return Case("scrypt_r_zero", o => P(o)["r"] = 0, KeystoreError.KdfParametersRejected, "r ≥ 1");
        yield return Case("scrypt_memory_16GiB", o => P(o)["n"] = 1 << 24, KeystoreError.KdfParametersRejected, "MiB");
        yield return Case("scrypt_work_too_high", o => P(o)["p"] = 100_000, KeystoreError.KdfParametersRejected, "block mixes");
        yield return Case("scrypt_n_beyond_int", o => P(o)["n"] = 1L << 40, KeystoreError.Malformed, "crypto.kdfparams.n must be an integer");
        yield return Case("dklen_16", o => P(o)["dklen"] = 16, KeystoreError.KdfParametersRejected, "dklen");
        yield return Case("salt_not_hex", o => P(o)["salt"] = "zz", KeystoreError.Malformed, "crypto.kdfparams.salt is not hex");
        yield return Case("salt_odd_digits", o => P(o)["salt"] = "abc", KeystoreError.Malformed, "odd number of hex digits");
        yield return Case("ciphertext_33_bytes", o => C(o)["ciphertext"] = new string('a', 66), KeystoreError.Malformed, "33 bytes");
        yield return Case("ciphertext_empty", o => C(o)["ciphertext"] = "", KeystoreError.Malformed, "0 bytes");
        yield return Case("iv_8_bytes", o => C(o)["cipherparams"]!["iv"] = new string('0', 16), KeystoreError.Malformed, "iv is 8 bytes");
        yield return Case("cipherparams_missing", o => C(o).Remove("cipherparams"), KeystoreError.Malformed, "crypto.cipherparams must be an object");
        yield return Case("mac_31_bytes", o => C(o)["mac"] = new string('0', 62), KeystoreError.Malformed, "mac is 31 bytes");
        yield return Case("mac_wrong", o => C(o)["mac"] = new string('0', 64), KeystoreError.WrongPassword, "could not decrypt key with given password");
        yield return Case("address_of_another_key", o => o["address"] = new string('1', 40), KeystoreError.AddressMismatch, "but the file names address");
        yield return Case("address_19_bytes", o => o["address"] = new string('1', 38), KeystoreError.Malformed, "address is 19 bytes");
        yield return Case("pbkdf2_hmac_sha512", o =>
        {
            C(o)["kdf"] = "pbkdf2";
            C(o)["kdfparams"] = new JsonObject { ["c"] = 10, ["dklen"] = 32, ["prf"] = "hmac-sha512", ["salt"] = "00" };
        }, KeystoreError.UnsupportedKdf, "prf 'hmac-sha512'");
        yield return Case("pbkdf2_c_zero", o =>
        {
            C(o)["kdf"] = "pbkdf2";
            C(o)["kdfparams"] = new JsonObject { ["c"] = 0, ["dklen"] = 32, ["prf"] = "hmac-sha256", ["salt"] = "00" };
        }, KeystoreError.KdfParametersRejected, "c=0");

        static JsonObject C(JsonObject o) => o["crypto"]!.AsObject();
        static JsonObject P(JsonObject o) => C(o)["kdfparams"]!.AsObject();
    }

    [TestCaseSource(nameof(BadFiles))]
    public void ABadFileIsASpecificError(Action<JsonObject> edit, KeystoreError error, string messagePart)
    {
        JsonObject o = Parse(LightFile.Value);
        edit(o);
        KeystoreException e = Assert.Throws<KeystoreException>(() => Keystore.Decrypt(o.ToJsonString(), "pw"))!;
        Assert.That(e.Error, Is.EqualTo(error), e.Message);
        Assert.That(e.Message, Does.Contain(messagePart));
    }

    [TestCase("", TestName = "empty")]
    [TestCase("{", TestName = "truncated")]
    [TestCase("not json", TestName = "text")]
    [TestCase("[1,2]", TestName = "array")]
    [TestCase("null", TestName = "null")]
    public void TextThatIsNotAKeystoreObjectIsMalformed(string text)
    {
        KeystoreException e = Assert.Throws<KeystoreException>(() => Keystore.Decrypt(text, "pw"))!;
        Assert.That(e.Error, Is.EqualTo(KeystoreError.Malformed));
        Assert.That(e.Message, Does.StartWith("keystore: "));
    }

    [Test]
    public void AKeyThatDecryptsToZeroIsMalformedNotACrash()
    {
        // A keystore whose plaintext is 32 zero bytes (not a valid scalar), with a correct MAC: built by encrypting a
        // valid key and XOR-ing the key out of the CTR ciphertext, which CTR allows.
        JsonObject o = Parse(LightFile.Value);
        byte[] ct = Hex.Decode(o["crypto"]!["ciphertext"]!.GetValue<string>());
        byte[] k = Key.ToArray();
        for (int i = 0; i < ct.Length; i++)
        {
            ct[i] ^= k[i];
        }

        // The MAC covers the ciphertext, so recompute it with the derived key (scrypt of "pw" with the file's salt).
        JsonObject p = o["crypto"]!["kdfparams"]!.AsObject();
        byte[] dk = Org.BouncyCastle.Crypto.Generators.SCrypt.Generate("pw"u8.ToArray(), Hex.Decode(p["salt"]!.GetValue<string>()), 4096, 8, 6, 32);
        byte[] body = [.. dk.AsSpan(16, 16), .. ct];
        o["crypto"]!["ciphertext"] = Hex.Encode(ct, prefix: false);
        o["crypto"]!["mac"] = Hex.Encode(Keccak256.Compute(body).Bytes, prefix: false);
        o.Remove("address");

        KeystoreException e = Assert.Throws<KeystoreException>(() => Keystore.Decrypt(o.ToJsonString(), "pw"))!;
        Assert.That(e.Error, Is.EqualTo(KeystoreError.Malformed));
        Assert.That(e.Message, Does.Contain("not a valid secp256k1 key"));
    }

    [Test]
    public void EncryptRefusesScryptParametersDecryptWouldRefuse()
    {
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(Key, "pw", new ScryptParameters(1000, 8, 1)));
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(Key, "pw", new ScryptParameters(1 << 24, 8, 1)));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
