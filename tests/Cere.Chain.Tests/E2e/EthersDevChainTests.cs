using System.Diagnostics;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.E2e;

/// <summary>
/// The real <c>cere-node --dev</c> binary driven by ethers.js v6 (tests/e2e/eth-devchain.mjs): chain id, balances,
/// legacy and EIP-1559 transfers with receipts, nonce too low, bad input, then a restart that keeps everything.
/// </summary>
[NonParallelizable]
public class EthersDevChainTests
{
    private static string E2eDir => VectorFiles.RepositoryFile("tests", "e2e");

    [TestCase("1")]
    [TestCase("0")]
    public async Task EthersDrivesTheDevChainAcrossARestart(string period)
    {
        Assert.That(Directory.Exists(Path.Combine(E2eDir, "node_modules", "ethers")), Is.True,
            $"ethers is not installed: run `npm ci` in {E2eDir} (the e2e tests need the pinned ethers.js)");
        string dataDir = Path.Combine(Path.GetTempPath(), "cere-e2e-" + Guid.NewGuid().ToString("N"));
        string stateFile = Path.Combine(dataDir, "e2e-state.json");
        string args = $"--dev --datadir \"{dataDir}\" --rpc.port 0 --dev.period {period}";
        try
        {
            (NodeProcess node, Uri url) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (node)
            {
                (int code, string output) = await RunScriptAsync(url, "first", stateFile);
                Assert.That(code, Is.Zero, $"ethers script (first run) failed:\n{output}\nnode:\n{node.Output}");
                Assert.That(node.Output, Does.Contain("block sealed number=1 "));
            }

            (NodeProcess again, Uri url2) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (again)
            {
                (int code, string output) = await RunScriptAsync(url2, "restarted", stateFile);
                Assert.That(code, Is.Zero, $"ethers script (after restart) failed:\n{output}\nnode:\n{again.Output}");
            }
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(Uri url, string phase, string stateFile)
    {
        ProcessStartInfo psi = new("node", $"eth-devchain.mjs {url} {phase} \"{stateFile}\"")
        {
            WorkingDirectory = E2eDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node (Node.js 20+ is needed for the e2e tests)");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using CancellationTokenSource cts = new(TimeSpan.FromSeconds(120));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out after 120 s\n" + await stdout + await stderr);
        }

        return (p.ExitCode, await stdout + await stderr);
    }
}
