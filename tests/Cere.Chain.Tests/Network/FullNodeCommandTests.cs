using Cere.Chain.Tests.ValidatorKeys;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Network;

/// <summary><c>cere-node --full</c> through the real binary: wrong combinations of options are clear errors (exit code 2) that create nothing.</summary>
[NonParallelizable]
public class FullNodeCommandTests
{
    private static IEnumerable<TestCaseData> BadCommandLines()
    {
        string spec = VectorFiles.RepositoryFile("chainspec", "local.json");
        string genesis = VectorFiles.RepositoryFile("genesis", "local.json");
        string keystore = VectorFiles.RepositoryFile("chainspec", "local-keys", "validator-0.json");
        string password = VectorFiles.RepositoryFile("chainspec", "local-keys", "password.txt");
        yield return new TestCaseData(new[] { "--full", "--chainspec", spec, "--genesis", genesis, "--keystore", keystore }, "--full takes no --keystore")
            .SetName("FullWithAKeystore");
        yield return new TestCaseData(new[] { "--full", "--chainspec", spec, "--genesis", genesis, "--password-file", password }, "--full takes no --keystore or --password-file")
            .SetName("FullWithAPasswordFile");
        yield return new TestCaseData(new[] { "--full", "--validator", "--chainspec", spec, "--genesis", genesis, "--keystore", keystore, "--password-file", password }, "--validator and --full exclude each other")
            .SetName("FullAndValidatorTogether");
        yield return new TestCaseData(new[] { "--full", "--genesis", genesis }, "--full needs --chainspec").SetName("FullWithoutAChainspec");
        yield return new TestCaseData(new[] { "--full", "--chainspec", spec }, "--full needs --genesis").SetName("FullWithoutAGenesis");
    }

    [TestCaseSource(nameof(BadCommandLines))]
    public async Task BadFullNodeCommandLineIsAClearError(string[] args, string message)
    {
        string data = Path.Combine(Path.GetTempPath(), "cere-full-cli-" + Guid.NewGuid().ToString("N"));
        (int code, string stdout, string stderr) = await ProcessRun.NodeAsync([.. args, "--datadir", data, "--p2p.port", "0", "--rpc.port", "0"]);
        Assert.That(code, Is.EqualTo(2), stdout + stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(data), Is.False, "nothing is created");
    }
}
