using System.Text.RegularExpressions;
using Cere.Chain.ValidatorKeys;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary><c>cere-node key generate|inspect</c> through the real binary.</summary>
public class KeyCommandTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cere-key-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task GenerateWritesAKeystoreThatInspectReadsAndNeverPrintsTheKey()
    {
        string keystore = Path.Combine(_dir, "validator.json");
        string passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(passwordFile, "correct horse battery\n");

        (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(["key", "generate", "--keystore", keystore, "--password-file", passwordFile, "--light"]);
        Assert.That(code, Is.Zero, stdout + stderr);

        // The trailing newline of the password file is not part of the password.
        PrivateKey key = KeystoreFile.Read(keystore, "correct horse battery");
        string address = key.Address.ToChecksumString();
        Assert.That(Field(stdout, "address"), Is.EqualTo(address));
        Assert.That(Field(stdout, "validator id"), Is.EqualTo(address));
        Assert.That(Field(stdout, "public key"), Is.EqualTo("0x04" + Hex.Encode(key.PublicKey, prefix: false)));
        Assert.That(Field(stdout, "compressed key"), Is.EqualTo(Hex.Encode(key.CompressedPublicKey)));
        string secret = Hex.Encode(key.ToArray(), prefix: false);
        Assert.That(stdout + stderr, Does.Not.Contain(secret).IgnoreCase);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(keystore), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        (int code2, string stdout2, string stderr2) = await ProcessRun.NodeAsync(["key", "inspect", "--keystore", keystore, "--password-file", passwordFile]);
        Assert.That(code2, Is.Zero, stdout2 + stderr2);
        Assert.That(Field(stdout2, "address"), Is.EqualTo(address));
        Assert.That(Field(stdout2, "public key"), Is.EqualTo(Field(stdout, "public key")));
        Assert.That(stdout2 + stderr2, Does.Not.Contain(secret).IgnoreCase);
    }

    [Test]
    public async Task InspectWithTheWrongPasswordFailsWithGethsMessage()
    {
        string keystore = Path.Combine(_dir, "k.json");
        KeystoreFile.WriteNew(keystore, Keystore.Encrypt(PrivateKey.Generate(), "right", ScryptParameters.Light));
        string passwordFile = Path.Combine(_dir, "wrong");
        await File.WriteAllTextAsync(passwordFile, "wrong\n");

        (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(["key", "inspect", "--keystore", keystore, "--password-file", passwordFile]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Is.EqualTo("key inspect: could not decrypt key with given password"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public async Task InspectOfAFileThatIsNotAKeystoreSaysSo()
    {
        string keystore = Path.Combine(_dir, "k.json");
        await File.WriteAllTextAsync(keystore, "{\"version\":3,\"crypto\":{\"cipher\":\"aes-256-gcm\"}}");
        string passwordFile = Path.Combine(_dir, "pw");
        await File.WriteAllTextAsync(passwordFile, "x");

        (int code, _, string stderr) = await ProcessRun.NodeAsync(["key", "inspect", "--keystore", keystore, "--password-file", passwordFile]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Is.EqualTo("key inspect: keystore: cipher 'aes-256-gcm' is not supported (only aes-128-ctr)"));
    }

    [Test]
    public async Task GenerateNeverOverwritesAnExistingFile()
    {
        string keystore = Path.Combine(_dir, "k.json");
        await File.WriteAllTextAsync(keystore, "precious");
        string passwordFile = Path.Combine(_dir, "pw");
        await File.WriteAllTextAsync(passwordFile, "x");

        (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(["key", "generate", "--keystore", keystore, "--password-file", passwordFile, "--light"]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("already exists"));
        Assert.That(stdout, Is.Empty);
        Assert.That(await File.ReadAllTextAsync(keystore), Is.EqualTo("precious"));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(2), "no temporary file is left behind");
    }

    [Test]
    public async Task AMissingPasswordFileIsAClearErrorAndWritesNothing()
    {
        string keystore = Path.Combine(_dir, "k.json");
        (int code, _, string stderr) = await ProcessRun.NodeAsync(["key", "generate", "--keystore", keystore, "--password-file", Path.Combine(_dir, "none")]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("key generate: ").And.Contain("none"));
        Assert.That(File.Exists(keystore), Is.False);
    }

    [Test]
    public async Task WithoutAPasswordFileThePasswordIsReadFromStandardInput()
    {
        string keystore = Path.Combine(_dir, "k.json");
        (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(["key", "generate", "--keystore", keystore, "--light"], stdin: "from stdin\n");
        Assert.That(code, Is.Zero, stdout + stderr);
        Assert.That(KeystoreFile.Read(keystore, "from stdin").Address.ToChecksumString(), Is.EqualTo(Field(stdout, "address")));
    }

    private static string Field(string output, string name)
    {
        Match m = Regex.Match(output, $"^{Regex.Escape(name)}:\\s+(\\S+)$", RegexOptions.Multiline);
        Assert.That(m.Success, Is.True, $"no '{name}:' line in:\n{output}");
        return m.Groups[1].Value;
    }
}
