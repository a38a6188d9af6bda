using System.Text.Json;
using System.Text.RegularExpressions;
using Cere.Chain.Blocks;
using Cere.Chain.Dev;
using Cere.Chain.ValidatorKeys;
using Cere.Core;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.Storage.Db;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>
/// genesis/local.json, chainspec/local.json and chainspec/local-keys: four equal validators whose keys are the documented
/// derivation (m/44'/60'/1'/0/i of the test mnemonic), checked with our code and with ethers.js, and a block 0 that
/// <c>cere-node init</c> computes as the in-process chain does.
/// </summary>
public class LocalChainFilesTests
{
    private const int Validators = 4;
    private const string Mnemonic = DevAccounts.TestMnemonic;

    private static Genesis LocalGenesis() => Genesis.Parse(File.ReadAllText(VectorFiles.RepositoryFile("genesis", "local.json")));

    private static ChainSpec LocalSpec() => ChainSpec.Parse(File.ReadAllText(VectorFiles.RepositoryFile("chainspec", "local.json")));

    private static string KeyFile(int i) => VectorFiles.RepositoryFile("chainspec", "local-keys", $"validator-{i}.json");

    private static string Password() => KeystoreFile.ReadPassword(VectorFiles.RepositoryFile("chainspec", "local-keys", "password.txt"));

    private static string Path(int i) => $"m/44'/60'/1'/0/{i}";

    [Test]
    public void TheLoadersAcceptBothFilesAndTheyDescribeOneChain()
    {
        Genesis genesis = LocalGenesis();
        ChainSpec spec = LocalSpec();
        Assert.That(spec.ChainId, Is.EqualTo(genesis.ChainId));
        Assert.That(spec.ChainId, Is.Not.EqualTo(DevChainFixture.Spec().ChainId), "a wallet must not confuse the local net with the dev chain");
        Assert.That(spec.BlockTimeMs, Is.EqualTo(1000));
        Assert.That(spec.Name, Is.EqualTo("cere-local"));
    }

    [Test]
    public void FourValidatorsWithEqualStake()
    {
        IReadOnlyList<GenesisValidator> vs = LocalGenesis().Validators;
        Assert.That(vs, Has.Count.EqualTo(Validators));
        Assert.That(vs.Select(v => v.Address).Distinct().Count(), Is.EqualTo(Validators));
        Assert.That(vs.Select(v => v.Stake).Distinct().Single(), Is.EqualTo(UInt256.Parse("1000000000000000000000")));
    }

    [Test]
    public void TheTestMnemonicAccountsAreFundedAsOnTheDevChain()
    {
        Genesis local = LocalGenesis();
        Genesis dev = DevChainFixture.Genesis();
        Assert.That(local.Alloc.Keys, Is.EquivalentTo(DevChainFixture.Keys.Select(k => k.Address)));
        foreach (PrivateKey k in DevChainFixture.Keys)
        {
            GenesisAccount a = local.Alloc[k.Address];
            Assert.That(a.Balance, Is.EqualTo(DevAccounts.Balance));
            Assert.That((a.Balance, a.Nonce, a.Code.Length, a.Storage.Count), Is.EqualTo((dev.Alloc[k.Address].Balance, 0UL, 0, 0)));
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ShippedKeystoreIsTheDocumentedDerivationAndTheGenesisValidator(int i)
    {
        PrivateKey fromKeystore = KeystoreFile.Read(KeyFile(i), Password());
        PrivateKey derived = HdKeyDerivation.Derive(HdKeyDerivation.SeedFromMnemonic(Mnemonic), Path(i));
        Assert.That(fromKeystore.ToArray(), Is.EqualTo(derived.ToArray()));
        Assert.That(LocalGenesis().Validators[i].Address, Is.EqualTo(derived.Address));
        Assert.That(DevChainFixture.Keys.Select(k => k.Address), Does.Not.Contain(derived.Address), "validator keys are not funded accounts");
    }

    [Test]
    public void TheReadmeMarksTheKeysLocalOnly()
    {
        string readme = File.ReadAllText(VectorFiles.RepositoryFile("chainspec", "local-keys", "README.md"));
        Assert.That(readme, Does.Contain("LOCAL ONLY"));
    }

    [Test]
    public async Task EthersDerivesAndDecryptsTheSameValidatorKeys()
    {
        string password = Password();
        JsonElement answer = await ProcessRun.EthersAsync(new
        {
            decrypt = Enumerable.Range(0, Validators).Select(i => new { json = File.ReadAllText(KeyFile(i)), password }).ToArray(),
            derive = Enumerable.Range(0, Validators).Select(i => new { mnemonic = Mnemonic, path = Path(i) }).ToArray(),
        });
        IReadOnlyList<GenesisValidator> vs = LocalGenesis().Validators;
        for (int i = 0; i < Validators; i++)
        {
            string expected = vs[i].Address.ToChecksumString();
            Assert.That(answer.GetProperty("derived")[i].GetString(), Is.EqualTo(expected), $"ethers' {Path(i)}");
            JsonElement d = answer.GetProperty("decrypted")[i];
            Assert.That(d.GetProperty("ok").GetBoolean(), Is.True, d.ToString());
            Assert.That(d.GetProperty("address").GetString(), Is.EqualTo(expected), $"ethers' decryption of validator-{i}.json");
        }
    }

    [Test]
    public async Task InitComputesTheSameGenesisAsTheInProcessChain()
    {
        Blockchain inProcess = Blockchain.Open(new MemoryStore(), LocalGenesis(), LocalSpec());
        Assert.That(inProcess.Genesis.Hash, Is.Not.EqualTo(DevChainFixture.Open().Genesis.Hash));

        string dataDir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cere-local-init-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int code, string stdout, string stderr) = await ProcessRun.NodeAsync(
            [
                "init", "--genesis", VectorFiles.RepositoryFile("genesis", "local.json"),
                "--chainspec", VectorFiles.RepositoryFile("chainspec", "local.json"), "--datadir", dataDir,
            ]);
            Assert.That(code, Is.Zero, stdout + stderr);
            Match m = Regex.Match(stdout, @"genesis hash=(0x[0-9a-f]{64}) stateRoot=(0x[0-9a-f]{64}) chainId=(\d+)");
            Assert.That(m.Success, Is.True, stdout);
            Assert.That(m.Groups[1].Value, Is.EqualTo(inProcess.Genesis.Hash.ToString()));
            Assert.That(m.Groups[2].Value, Is.EqualTo(inProcess.Genesis.StateRoot.ToString()));
            Assert.That(m.Groups[3].Value, Is.EqualTo("4243"));
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}
