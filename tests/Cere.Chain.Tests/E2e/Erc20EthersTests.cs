using System.Text.Json;

namespace Cere.Chain.Tests.E2e;

/// <summary>
/// The real <c>cere-node --dev</c> binary driven by ethers.js v6 and solc-js (tests/e2e/erc20-devchain.mjs) through a
/// standard ERC-20: deploy, EIP-1559 and legacy transfers, eth_call, eth_getLogs, a live WebSocket logs subscription,
/// decoded revert reasons, estimateGas, fee-bump replacement and nonce errors; then the node is stopped and started
/// again on the same datadir and the chain, balances and logs must all still be there.
/// </summary>
[NonParallelizable]
public class Erc20EthersTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(180);

    [Test]
    public async Task Erc20ThroughEthersAcrossARestart()
    {
        JsScript.RequirePackages("ethers", "solc");
        string dataDir = Path.Combine(Path.GetTempPath(), "cere-e2e-erc20-" + Guid.NewGuid().ToString("N"));
        string stateFile = Path.Combine(dataDir, "erc20-state.json");
        string args = $"--dev --datadir \"{dataDir}\" --rpc.port 0 --dev.period 1";
        try
        {
            (NodeProcess node, Uri url) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (node)
            {
                (int code, string stdout, string stderr) = await JsScript.RunAsync($"erc20-devchain.mjs {url} first \"{stateFile}\"", ScriptTimeout);
                AssertAllChecksPassed("first", code, stdout, stderr, node);
            }

            // Stopped (SIGKILL) in the middle of its life; the same datadir must give back everything.
            (NodeProcess again, Uri url2) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (again)
            {
                (int code, string stdout, string stderr) = await JsScript.RunAsync($"erc20-devchain.mjs {url2} restarted \"{stateFile}\"", ScriptTimeout);
                AssertAllChecksPassed("restarted", code, stdout, stderr, again);
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

    // The script prints one line per check on stderr and a summary JSON line on stdout; every check must pass.
    private static void AssertAllChecksPassed(string phase, int code, string stdout, string stderr, NodeProcess node)
    {
        TestContext.Out.WriteLine($"--- ethers ERC-20 script, phase {phase} ---\n{stderr}");
        string context = $"phase {phase}:\n{stderr}\n{stdout}\nnode:\n{node.Output}";
        string? summary = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.That(summary, Is.Not.Null, $"the script printed no summary; {context}");
        using JsonDocument doc = JsonDocument.Parse(summary!);
        Assert.Multiple(() =>
        {
            Assert.That(doc.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()), Is.Empty, $"failed checks; {context}");
            Assert.That(doc.RootElement.GetProperty("ok").GetBoolean(), Is.True, context);
            Assert.That(code, Is.Zero, context);
        });
    }
}
