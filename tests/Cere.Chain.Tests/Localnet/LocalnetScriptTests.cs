using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using static Cere.Chain.Tests.Localnet.LocalnetClient;

namespace Cere.Chain.Tests.Localnet;

/// <summary>
/// <c>scripts/localnet</c> end to end with the real binary: four validators and a full node come up and agree on blocks
/// carrying our transfers; one validator is killed with SIGKILL, the other nodes keep finalising; restarted with
/// <c>localnet start</c>, it catches up to the same blocks (hash and state root) and the same balances; <c>localnet
/// down</c> stops everything.
/// </summary>
/// <remarks>About 70 s on two cores with a load average near 40; its own timeouts allow far more.</remarks>
[NonParallelizable]
public class LocalnetScriptTests
{
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000c0de");
    private string _dir = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _dir = CreateNetDirectory("cere-localnet-");
    }

    [TearDown]
    public Task StopAndRemove() => DownAndRemoveAsync(_dir);

    [Test]
    public async Task FourValidatorsAgreeSurviveASigkilledValidatorAndItCatchesUp()
    {
        (int upCode, string upOutput) = await RunScriptAsync(TimeSpan.FromSeconds(300), "up", _dir);
        Assert.That(upCode, Is.Zero, upOutput + Logs());
        string[] urls = Urls(upOutput);
        Assert.That(urls, Has.Length.EqualTo(Nodes), upOutput);
        Assert.That(urls, Is.Unique);

        // Transfers from four funded test accounts, each sent to a different validator (they gossip to the proposer).
        ulong[] nonces = new ulong[4];
        List<string> sent = [];
        for (int round = 0; round < 5; round++)
        {
            for (int a = 0; a < 4; a++)
            {
                sent.Add(await SendTransferAsync(urls[a], a, nonces[a]++));
            }
        }

        await WaitForReceiptsAsync(urls[0], sent, TimeSpan.FromSeconds(90));
        ulong agreed = await WaitForAgreementAsync(urls, TimeSpan.FromSeconds(90));
        string expectedBalance = await BalanceAsync(urls[0]);
        Assert.That(expectedBalance, Is.EqualTo("0x" + (sent.Count * 1000).ToString("x", CultureInfo.InvariantCulture)));
        foreach (string url in urls)
        {
            Assert.That(await BalanceAsync(url), Is.EqualTo(expectedBalance), url);
        }

        // SIGKILL validator 3: the other three hold more than 2/3 of the stake and keep finalising.
        int victim = 3;
        string pidFile = Path.Combine(_dir, $"node-{victim}", "node.pid");
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        using (Process kill = Process.Start("kill", $"-KILL {pid}"))
        {
            await kill.WaitForExitAsync();
        }

        string[] survivors = [.. urls[..victim], .. urls[(victim + 1)..]];
        List<string> duringOutage = [];
        for (int a = 0; a < 3; a++)
        {
            duringOutage.Add(await SendTransferAsync(survivors[a], a, nonces[a]++));
        }

        await WaitForReceiptsAsync(survivors[0], duringOutage, TimeSpan.FromSeconds(90));
        ulong withoutVictim = await WaitForAgreementAsync(survivors, TimeSpan.FromSeconds(90), above: agreed + 3);
        Assert.That(withoutVictim, Is.GreaterThan(agreed + 3), "the three survivors finalise new blocks");

        // Restart it with the script's own command line: it syncs what it missed and rejoins.
        (int startCode, string startOutput) = await RunScriptAsync(TimeSpan.FromSeconds(180), "start", _dir, victim.ToString(CultureInfo.InvariantCulture));
        Assert.That(startCode, Is.Zero, startOutput + Logs());
        Assert.That(Urls(startOutput), Is.EqualTo(new[] { urls[victim] }));
        ulong caughtUp = await WaitForAgreementAsync(urls, TimeSpan.FromSeconds(120), above: withoutVictim);
        Assert.That(caughtUp, Is.GreaterThan(withoutVictim));
        string finalBalance = "0x" + ((sent.Count + duringOutage.Count) * 1000).ToString("x", CultureInfo.InvariantCulture);
        foreach (string url in urls)
        {
            Assert.That(await BalanceAsync(url), Is.EqualTo(finalBalance), url);
        }
    }

    /// <summary>Sends 1000 wei from test account <paramref name="account"/> to <see cref="Recipient"/>; returns the transaction hash.</summary>
    private static async Task<string> SendTransferAsync(string url, int account, ulong nonce)
    {
        PrivateKey key = DevChainFixture.Keys[account];
        Transaction tx = DevChainFixture.Transfer1559(key, Recipient, nonce, new UInt256(1000), tipGwei: 1, maxFeeGwei: 3, chainId: ChainId);
        JsonNode result = await CallAsync(url, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(TransactionEncoder.Encode(tx)));
        return result.GetValue<string>();
    }

    private static async Task WaitForReceiptsAsync(string url, List<string> hashes, TimeSpan timeout)
    {
        Stopwatch clock = Stopwatch.StartNew();
        foreach (string hash in hashes)
        {
            while (true)
            {
                JsonNode? receipt = await TryCallAsync(url, "eth_getTransactionReceipt", hash);
                if (receipt is not null)
                {
                    Assert.That(receipt["status"]!.GetValue<string>(), Is.EqualTo("0x1"), hash);
                    break;
                }

                if (clock.Elapsed > timeout)
                {
                    Assert.Fail($"no receipt for {hash} from {url} in {timeout}");
                }

                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// Waits until every node has a block at a height above <paramref name="above"/> that all of them can serve, then
    /// checks they all hold the same block there (hash and state root); returns that height.
    /// </summary>
    private static async Task<ulong> WaitForAgreementAsync(string[] urls, TimeSpan timeout, ulong above = 0)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (true)
        {
            ulong lowest = ulong.MaxValue;
            foreach (string url in urls)
            {
                lowest = Math.Min(lowest, await HeadAsync(url));
            }

            if (lowest > above)
            {
                JsonNode first = await BlockAsync(urls[0], lowest);
                for (int i = 1; i < urls.Length; i++)
                {
                    JsonNode other = await BlockAsync(urls[i], lowest);
                    Assert.That(other["hash"]!.GetValue<string>(), Is.EqualTo(first["hash"]!.GetValue<string>()), $"block {lowest} at {urls[i]}");
                    Assert.That(other["stateRoot"]!.GetValue<string>(), Is.EqualTo(first["stateRoot"]!.GetValue<string>()), $"state root {lowest} at {urls[i]}");
                }

                return lowest;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"the nodes did not all pass height {above} in {timeout} (lowest head {lowest})");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<string> BalanceAsync(string url) =>
        (await CallAsync(url, "eth_getBalance", Recipient.ToString(), "latest")).GetValue<string>();

    private string Logs() => NodeLogs(_dir);
}
