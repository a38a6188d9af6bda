using System.Text.Json;
using Cere.Chain.ValidatorKeys;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>
/// Cross-check with a real wallet library: ethers.js v6 (tests/e2e/keystore-check.mjs) decrypts the keystores we write,
/// and we decrypt the ones ethers writes. One script run serves every test of the fixture.
/// </summary>
[NonParallelizable]
public class KeystoreEthersTests
{
    private const string NonAsciiPassword = "pässwörd-ключ"; // NFC; ethers derives from its NFKD form.

    private readonly PrivateKey _key = PrivateKey.Generate();
    private string _oursLight = "";
    private string _oursStandard = "";
    private string _oursFromCli = "";
    private PrivateKey _cliKey = null!;
    private JsonElement _answer;

    [OneTimeSetUp]
    public async Task AskEthers()
    {
        _oursLight = Keystore.Encrypt(_key, "light-pw", ScryptParameters.Light);
        _oursStandard = Keystore.Encrypt(_key, "standard-pw");

        string dir = Path.Combine(Path.GetTempPath(), "cere-ethers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string keystore = Path.Combine(dir, "k.json");
            string passwordFile = Path.Combine(dir, "pw");
            await File.WriteAllTextAsync(passwordFile, "cli-pw\n");
            (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(["key", "generate", "--keystore", keystore, "--password-file", passwordFile, "--light"]);
            Assert.That(code, Is.Zero, stdout + stderr);
            _oursFromCli = await File.ReadAllTextAsync(keystore);
            _cliKey = Keystore.Decrypt(_oursFromCli, "cli-pw");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        string privateKey = Hex.Encode(_key.ToArray());
        _answer = await ProcessRun.EthersAsync(new
        {
            decrypt = new object[]
            {
                new { json = _oursLight, password = "light-pw" },
                new { json = _oursStandard, password = "standard-pw" },
                new { json = _oursFromCli, password = "cli-pw" },
                new { json = _oursLight, password = "wrong" },
            },
            encrypt = new object[]
            {
                new { privateKey, password = "ethers-default" },
                new { privateKey, password = "ethers-light", scrypt = new { N = 4096, r = 8, p = 6 } },
                new { privateKey, password = NonAsciiPassword, scrypt = new { N = 1024, r = 8, p = 1 } },
            },
        });
    }

    [TestCase(0, TestName = "light_scrypt")]
    [TestCase(1, TestName = "standard_scrypt")]
    public void EthersDecryptsOurKeystore(int index)
    {
        JsonElement d = _answer.GetProperty("decrypted")[index];
        Assert.That(d.GetProperty("ok").GetBoolean(), Is.True, d.ToString());
        Assert.That(d.GetProperty("address").GetString(), Is.EqualTo(_key.Address.ToChecksumString()));
        Assert.That(d.GetProperty("privateKey").GetString(), Is.EqualTo(Hex.Encode(_key.ToArray())));
    }

    [Test]
    public void EthersDecryptsAKeystoreFromKeyGenerate()
    {
        JsonElement d = _answer.GetProperty("decrypted")[2];
        Assert.That(d.GetProperty("ok").GetBoolean(), Is.True, d.ToString());
        Assert.That(d.GetProperty("address").GetString(), Is.EqualTo(_cliKey.Address.ToChecksumString()));
    }

    [Test]
    public void EthersRefusesOurKeystoreWithTheWrongPassword()
    {
        JsonElement d = _answer.GetProperty("decrypted")[3];
        Assert.That(d.GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(d.GetProperty("error").GetString(), Does.Contain("incorrect password"));
    }

    [TestCase(0, "ethers-default", TestName = "ethers_default_scrypt")]
    [TestCase(1, "ethers-light", TestName = "ethers_light_scrypt")]
    [TestCase(2, NonAsciiPassword, TestName = "ethers_nfkd_password")]
    public void WeDecryptEthersKeystore(int index, string password)
    {
        string json = _answer.GetProperty("encrypted")[index].GetString()!;
        Assert.That(json, Does.Contain("\"Crypto\""), "ethers writes the capitalised key, which we accept");
        Assert.That(Keystore.Decrypt(json, password).ToArray(), Is.EqualTo(_key.ToArray()));
    }
}
