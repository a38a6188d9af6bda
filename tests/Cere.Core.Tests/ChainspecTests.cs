using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>The genesis and chain-spec files of the repository parse, and malformed files give errors that name the field.</summary>
public class ChainspecTests
{
    [Test]
    public void DevGenesisFundsTheTestMnemonicAccounts()
    {
        Genesis g = Genesis.Parse(File.ReadAllText(VectorFiles.RepositoryFile("genesis", "dev.json")));
        ChainSpec spec = ChainSpec.Parse(File.ReadAllText(VectorFiles.RepositoryFile("chainspec", "dev.json")));
        Assert.Multiple(() =>
        {
            Assert.That(g.ChainId, Is.EqualTo(spec.ChainId));
            Assert.That(g.Alloc, Has.Count.EqualTo(10));
            for (int i = 0; i < 10; i++)
            {
                Address a = HdKeyDerivation.DeriveAccount("test test test test test test test test test test test junk", i).Address;
                Assert.That(g.Alloc[a].Balance, Is.EqualTo(UInt256.Parse("10000000000000000000000")), $"account {i}");
            }

            Assert.That(g.Validators, Has.Count.EqualTo(1));
            Assert.That(spec.BlockTimeMs, Is.EqualTo(1000));
        });
    }

    [TestCase("{}", "config.chainId")]
    [TestCase("""{"config":{"chainId":"x"}}""", "config.chainId")]
    [TestCase("""{"config":{"chainId":1},"alloc":{"0x12":{"balance":"1"}}}""", "alloc key")]
    [TestCase("""{"config":{"chainId":1},"alloc":{"0x0000000000000000000000000000000000000001":{"balance":"abc"}}}""", "balance")]
    [TestCase("""{"config":{"chainId":1},"extraData":"0x000000000000000000000000000000000000000000000000000000000000000000"}""", "extraData")]
    [TestCase("not json", "genesis")]
    public void MalformedGenesisNamesTheField(string json, string field)
    {
        ChainspecException? e = Assert.Throws<ChainspecException>(() => Genesis.Parse(json));
        Assert.That(e!.Message, Does.Contain(field));
    }

    [TestCase("{}", "chainId")]
    [TestCase("""{"chainId":1,"blockTimeMs":-5}""", "blockTimeMs")]
    public void MalformedChainSpecNamesTheField(string json, string field)
    {
        ChainspecException? e = Assert.Throws<ChainspecException>(() => ChainSpec.Parse(json));
        Assert.That(e!.Message, Does.Contain(field));
    }
}
