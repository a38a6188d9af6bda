using Cere.Core.Crypto;

namespace Cere.Core.Tests;

/// <summary>
/// BIP-39/BIP-32 against the accounts every Ethereum dev tool (Hardhat, Anvil, Ganache) derives from the test
/// mnemonic, and against the BIP-32 test vector 1 master key.
/// </summary>
public class HdKeyDerivationTests
{
    private const string TestMnemonic = "test test test test test test test test test test test junk";

    [TestCase(0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]
    [TestCase(1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")]
    [TestCase(9, "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6")]
    public void TestMnemonicGivesTheDevToolAccounts(int index, string address, string key)
    {
        PrivateKey k = HdKeyDerivation.DeriveAccount(TestMnemonic, index);
        Assert.Multiple(() =>
        {
            Assert.That(k.Address.ToChecksumString(), Is.EqualTo(address));
            Assert.That(Convert.ToHexStringLower(k.ToArray()), Is.EqualTo(key));
        });
    }

    [Test]
    public void Bip32TestVector1ChildKey()
    {
        // BIP-32 test vector 1, chain m/0H: private key edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea.
        byte[] seed = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        PrivateKey k = HdKeyDerivation.Derive(seed, "m/0'");
        Assert.That(Convert.ToHexStringLower(k.ToArray()), Is.EqualTo("edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea"));
    }

    [TestCase("x/0")]
    [TestCase("m/abc")]
    [TestCase("m/2147483648")]
    public void BadPathIsRejected(string path) =>
        Assert.Throws<FormatException>(() => HdKeyDerivation.Derive(new byte[64], path));
}
