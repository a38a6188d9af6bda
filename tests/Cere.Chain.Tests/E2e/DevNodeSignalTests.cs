using System.Net.Http.Json;
using System.Text.Json;

namespace Cere.Chain.Tests.E2e;

/// <summary>
/// <c>cere-node --dev</c> as a process stops cleanly on SIGTERM and SIGINT (exit code 0, "shutting down"), and the
/// next start continues from the head it had sealed.
/// </summary>
[NonParallelizable]
public class DevNodeSignalTests
{
    [TestCase("TERM")]
    [TestCase("INT")]
    public async Task SignalStopsTheNodeCleanlyAndTheChainContinues(string signal)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), "cere-signal-" + Guid.NewGuid().ToString("N"));
        string args = $"--dev --datadir \"{dataDir}\" --rpc.port 0 --dev.period 1";
        try
        {
            ulong sealedBefore;
            (NodeProcess node, Uri url) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (node)
            {
                sealedBefore = await WaitForBlockAsync(url, 2);
                int? exit = await node.SignalAsync(signal, TimeSpan.FromSeconds(30));
                Assert.That(exit, Is.Zero, $"SIGTERM/SIGINT should stop the node with exit code 0; output:\n{node.Output}");
                Assert.That(node.Output, Does.Contain("shutting down"));
            }

            (NodeProcess again, Uri url2) = await NodeProcess.StartAsync(args, TimeSpan.FromSeconds(90));
            using (again)
            {
                ulong head = await BlockNumberAsync(url2);
                Assert.That(head, Is.GreaterThanOrEqualTo(sealedBefore), "the restarted node lost blocks it had sealed");
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

    private static async Task<ulong> WaitForBlockAsync(Uri url, ulong atLeast)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            ulong n = await BlockNumberAsync(url);
            if (n >= atLeast)
            {
                return n;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no block {atLeast} within 60 s (head {n})");
            await Task.Delay(200);
        }
    }

    private static async Task<ulong> BlockNumberAsync(Uri url)
    {
        using HttpClient http = new();
        using HttpResponseMessage res = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method = "eth_blockNumber", @params = Array.Empty<object>() });
        using JsonDocument doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        string hex = doc.RootElement.GetProperty("result").GetString()!;
        return Convert.ToUInt64(hex[2..], 16);
    }
}
