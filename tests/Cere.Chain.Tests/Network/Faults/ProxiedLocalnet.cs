using System.Diagnostics;
using System.Text.Json.Nodes;
using Cere.Chain.Consensus;
using Cere.P2P.Crypto;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests.Network.Faults;

/// <summary>
/// The local chain (<c>chainspec/local.json</c>, <c>genesis/local.json</c>, the four public local validator keys) as
/// real <c>cere-node</c> processes on loopback whose every link goes through a <see cref="ProxyMesh"/>: node i's
/// bootnodes are the proxies (i→j) with node j's peer id, and <c>--p2p.no-discovery</c> keeps it from dialling the
/// real addresses identify reveals. Optional full nodes (<c>--full</c>) join the mesh after the validators.
/// </summary>
public sealed class ProxiedLocalnet : IAsyncDisposable
{
    /// <summary>The chain id of <c>chainspec/local.json</c>.</summary>
    public const ulong ChainId = 4243;

    private readonly PeerId[] _peerIds;

    private ProxiedLocalnet(string directory, ProxyMesh mesh, PeerId[] peerIds, ChainNodeProcess[] nodes, int validators)
    {
        Validators = validators;
        Directory = directory;
        Mesh = mesh;
        _peerIds = peerIds;
        Nodes = nodes;
    }

    /// <summary>The temporary directory holding every node's data directory.</summary>
    public string Directory { get; }

    /// <summary>The proxies between the nodes.</summary>
    public ProxyMesh Mesh { get; }

    /// <summary>Validators first (index = validator index), then full nodes.</summary>
    public IReadOnlyList<ChainNodeProcess> Nodes { get; }

    /// <summary>Number of validators (nodes 0 .. Validators − 1).</summary>
    public int Validators { get; }

    /// <summary>The indexes of the full nodes (after the validators).</summary>
    public int[] FullNodes => [.. Enumerable.Range(Validators, Nodes.Count - Validators)];

    /// <summary>All node indexes.</summary>
    public int[] All => [.. Enumerable.Range(0, Nodes.Count)];

    /// <summary>The libp2p peer id of node <paramref name="node"/>.</summary>
    public PeerId PeerIdOf(int node) => _peerIds[node];

    /// <summary>Starts <paramref name="validators"/> validators and <paramref name="fullNodes"/> full nodes and waits for each banner.</summary>
    public static async Task<ProxiedLocalnet> StartAsync(int validators, int fullNodes, TimeSpan timeout)
    {
        int count = validators + fullNodes;
        string dir = Path.Combine(Path.GetTempPath(), "cere-proxied-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        ProxyMesh mesh = new(count);
        PeerId[] ids = new PeerId[count];
        string[] dataDirs = new string[count];
        for (int i = 0; i < count; i++)
        {
            dataDirs[i] = Path.Combine(dir, $"node-{i}");
            System.IO.Directory.CreateDirectory(dataDirs[i]);

            // The node keeps this identity (as it would its own first key), so its peer id is known before it starts.
            ids[i] = ValidatorCommand.LoadOrCreateP2pKey(Path.Combine(dataDirs[i], ValidatorCommand.P2pKeyFileName)).PeerId;
        }

        Task<ChainNodeProcess>[] starts = new Task<ChainNodeProcess>[count];
        for (int i = 0; i < count; i++)
        {
            List<string> args = i < validators
                ? ["--validator", "--keystore", VectorFiles.RepositoryFile("chainspec", "local-keys", $"validator-{i}.json"), "--password-file", VectorFiles.RepositoryFile("chainspec", "local-keys", "password.txt")]
                : ["--full"];
            List<string> bootnodes = [];
            for (int j = 0; j < count; j++)
            {
                if (j != i)
                {
                    bootnodes.Add($"/ip4/127.0.0.1/tcp/{mesh.Link(i, j).Endpoint.Port}/p2p/{ids[j]}");
                }
            }

            args.AddRange([
                "--chainspec", VectorFiles.RepositoryFile("chainspec", "local.json"), "--genesis", VectorFiles.RepositoryFile("genesis", "local.json"),
                "--datadir", dataDirs[i], "--p2p.addr", "127.0.0.1", "--p2p.port", "0", "--rpc.addr", "127.0.0.1", "--rpc.port", "0",
                "--p2p.no-discovery", "--bootnodes", string.Join(',', bootnodes)]);
            int node = i;
            string name = i < validators ? $"validator {i}" : $"full node {i}";
            starts[i] = Task.Run(async () =>
            {
                ChainNodeProcess p = await ChainNodeProcess.StartAsync(name, args, timeout);
                mesh.SetTarget(node, p.P2pEndpoint);
                return p;
            });
        }

        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (Task<ChainNodeProcess> t in starts)
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
            }

            await mesh.DisposeAsync();
            throw;
        }

        ChainNodeProcess[] nodes = new ChainNodeProcess[count];
        for (int i = 0; i < count; i++)
        {
            nodes[i] = await starts[i];
        }

        return new ProxiedLocalnet(dir, mesh, ids, nodes, validators);
    }

    /// <summary>The current head of each of <paramref name="nodes"/>.</summary>
    public async Task<ulong[]> HeadsAsync(int[] nodes)
    {
        ulong[] heads = new ulong[nodes.Length];
        for (int k = 0; k < nodes.Length; k++)
        {
            heads[k] = await Nodes[nodes[k]].Rpc.HeadAsync();
        }

        return heads;
    }

    /// <summary>
    /// Waits until every one of <paramref name="nodes"/> has a head above <paramref name="above"/>, then checks that they
    /// all hold the same block (hash and state root) at the lowest of their heads; returns that height.
    /// </summary>
    public async Task<ulong> WaitForAgreementAsync(int[] nodes, TimeSpan timeout, ulong above = 0)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (true)
        {
            ulong lowest = (await HeadsAsync(nodes)).Min();
            if (lowest > above)
            {
                JsonNode first = await BlockAsync(nodes[0], lowest);
                foreach (int n in nodes[1..])
                {
                    JsonNode other = await BlockAsync(n, lowest);
                    Assert.That(other["hash"]!.GetValue<string>(), Is.EqualTo(first["hash"]!.GetValue<string>()), $"block {lowest} at {Nodes[n].Name}");
                    Assert.That(other["stateRoot"]!.GetValue<string>(), Is.EqualTo(first["stateRoot"]!.GetValue<string>()), $"state root {lowest} at {Nodes[n].Name}");
                }

                return lowest;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"nodes {string.Join(',', nodes)} did not all pass height {above} in {timeout} (heads {string.Join(',', await HeadsAsync(nodes))})\n{Logs(25)}");
            }

            await Task.Delay(300);
        }
    }

    /// <summary>No conflicting finalised blocks: for every height up to the lowest head, every node holds the same block hash.</summary>
    public async Task<ulong> AssertSameChainAsync(int[] nodes)
    {
        ulong lowest = (await HeadsAsync(nodes)).Min();
        string[] reference = await Nodes[nodes[0]].Rpc.BlockHashesAsync(lowest);
        foreach (int n in nodes[1..])
        {
            string[] hashes = await Nodes[n].Rpc.BlockHashesAsync(lowest);
            for (ulong h = 0; h <= lowest; h++)
            {
                Assert.That(hashes[h], Is.EqualTo(reference[h]), $"block {h}: {Nodes[n].Name} against {Nodes[nodes[0]].Name}");
            }
        }

        return lowest;
    }

    /// <summary>The last <paramref name="lines"/> output lines of every node.</summary>
    public string Logs(int lines = 15) => string.Join('\n', Nodes.Select(n => n.Tail(lines)));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (ChainNodeProcess n in Nodes)
        {
            n.Dispose();
        }

        await Mesh.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary directory is harmless
        }
    }

    private async Task<JsonNode> BlockAsync(int node, ulong number) =>
        await Nodes[node].Rpc.BlockAsync(number) ?? throw new AssertionException($"{Nodes[node].Name} has no block {number} though its head is at or above it");
}
