using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.PubSub;
using Cere.P2P.PubSub.Wire;
using Google.Protobuf;

namespace Cere.Benchmarks;

/// <summary>
/// Gossipsub delivery across a fully connected 5-node mesh, one topic: node 0 publishes <see cref="Count"/> signed
/// messages of <see cref="Size"/> bytes and the operation ends when each of the other four has delivered all of them.
/// Ours (five hosts in this process, loopback TCP + Noise + yamux) against js-libp2p with @chainsafe/libp2p-gossipsub
/// (five nodes in one node process, the baseline), plus our router alone over an in-memory network (no transport).
/// Delivered messages/s = 4 × Count / time per operation. Run in-process with a monitoring job (see
/// benches/results/gossip.md for the command): every operation is a whole burst, and the js side is another process.
/// </summary>
public class GossipMeshBenchmarks
{
    /// <summary>Messages published per operation.</summary>
    public const int Count = 100;

    /// <summary>Payload bytes per message.</summary>
    public const int Size = 256;

    private const string Topic = "bench";
    private const int Nodes = 5;

    private readonly List<Host> _hosts = [];
    private readonly List<GossipsubService> _services = [];
    private readonly byte[] _payload = new byte[Size];
    private GossipJsMesh _js = null!;
    private InMemoryMesh _memory = null!;
    private TaskCompletionSource _done = new();
    private int _remaining;
    private int _seq;

    /// <summary>Builds our five-host mesh, the js mesh and the in-memory one, and waits for every mesh to form.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = new GossipsubOptions();
        for (var i = 0; i < Nodes; i++)
        {
            var host = new Host(new HostOptions { Log = _ => { } });
            await host.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
            var gossip = new GossipsubService(host, options);
            gossip.Start();
            if (i > 0)
                gossip.Subscribe(Topic, _ => OnDelivered());
            else
                gossip.Subscribe(Topic, _ => { });
            _hosts.Add(host);
            _services.Add(gossip);
        }

        for (var i = 0; i < Nodes; i++)
        {
            for (var j = i + 1; j < Nodes; j++)
                await _hosts[i].DialAsync(_hosts[j].ListenAddresses[0].WithPeerId(_hosts[j].PeerId));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_services.TrueForAll(s => s.MeshPeers(Topic).Count == Nodes - 1))
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("our mesh did not form");
            await Task.Delay(50);
        }

        _js = await GossipJsMesh.StartAsync();
        _memory = new InMemoryMesh(Nodes);
    }

    /// <summary>Stops everything.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _js.DisposeAsync();
        foreach (var s in _services)
            await s.DisposeAsync();
        foreach (var h in _hosts)
            await h.DisposeAsync();
    }

    /// <summary>js-libp2p gossipsub, five nodes (the reference).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public Task<double> JsMesh() => _js.BurstAsync(Count, Size);

    /// <summary>Our five hosts over loopback.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public async Task OursLoopbackMesh()
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, Count * (Nodes - 1));
        for (var k = 0; k < Count; k++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(_payload, _seq++);
            _services[0].Publish(Topic, _payload);
        }

        await _done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Our router alone: five routers over an in-memory network, RPCs encoded and decoded, no transport.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public int OursRoutersInMemory() => _memory.Burst(Count, Size);

    private void OnDelivered()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
            _done.TrySetResult();
    }

    /// <summary>Five routers, fully connected, delivering synchronously through one queue.</summary>
    private sealed class InMemoryMesh
    {
        private readonly List<Node> _nodes = [];
        private readonly Queue<(int From, int To, byte[] Bytes)> _queue = new();
        private int _delivered;
        private int _seq;

        public InMemoryMesh(int count)
        {
            var options = new GossipsubOptions();
            for (var i = 0; i < count; i++)
            {
                var key = Cere.P2P.Crypto.PeerPrivateKey.Generate();
                var node = new Node(this, i, key.PeerId.ToString(), key.PeerId.Bytes.ToArray());
                node.Router = new GossipsubRouter(options, node, TimeProvider.System, new Random(i), new PeerKeyPubSubSigner(key), new PeerKeyPubSubVerifier());
                _nodes.Add(node);
            }

            foreach (var a in _nodes)
            {
                foreach (var b in _nodes)
                {
                    if (a != b)
                        a.Router.AddPeer(b.Name, b.IdBytes, GossipProtocol.Meshsub11, outbound: a.Index < b.Index);
                }
            }

            foreach (var n in _nodes)
                n.Router.Subscribe(Topic);
            Drain();
            foreach (var n in _nodes)
                n.Router.Heartbeat();
            Drain();
        }

        public int Burst(int count, int size)
        {
            _delivered = 0;
            var payload = new byte[size];
            for (var k = 0; k < count; k++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(payload, _seq++);
                _nodes[0].Router.Publish(Topic, payload);
                Drain();
            }

            if (_delivered != count * (_nodes.Count - 1))
                throw new InvalidOperationException($"delivered {_delivered} of {count * (_nodes.Count - 1)}");
            return _delivered;
        }

        private void Drain()
        {
            while (_queue.TryDequeue(out var item))
                _nodes[item.To].Router.HandleRpc(_nodes[item.From].Name, RPC.Parser.ParseFrom(item.Bytes));
        }

        private sealed class Node(InMemoryMesh mesh, int index, string name, byte[] idBytes) : IGossipsubSink
        {
            public int Index { get; } = index;

            public string Name { get; } = name;

            public byte[] IdBytes { get; } = idBytes;

            public GossipsubRouter Router { get; set; } = null!;

            public void Send(string peer, RPC rpc)
            {
                var to = mesh._nodes.FindIndex(n => n.Name == peer);
                mesh._queue.Enqueue((Index, to, rpc.ToByteArray()));
            }

            public void Deliver(GossipMessage message) => mesh._delivered++;

            public void PeerGraylisted(string peer, double score, string reason)
            {
            }

            public void PeerExchange(string fromPeer, string topic, IReadOnlyList<PeerInfo> peers)
            {
            }

            public void Log(string line)
            {
            }
        }
    }

    /// <summary>The js reference: tests/e2e/gossip-bench.mjs in a node process.</summary>
    private sealed class GossipJsMesh : IAsyncDisposable
    {
        private readonly Process _process;
        private int _nextId;

        private GossipJsMesh(Process process) => _process = process;

        public static async Task<GossipJsMesh> StartAsync()
        {
            var e2e = E2eDirectory();
            if (!Directory.Exists(Path.Combine(e2e, "node_modules", "@chainsafe", "libp2p-gossipsub")))
                throw new InvalidOperationException($"js-libp2p gossipsub missing in {e2e}: run `npm ci` there first");
            var psi = new ProcessStartInfo("node", "gossip-bench.mjs")
            {
                WorkingDirectory = e2e,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("event", out var e) && e.GetString() == "ready")
                    return new GossipJsMesh(p);
            }

            throw new InvalidOperationException("js gossip mesh exited before it was ready");
        }

        public async Task<double> BurstAsync(int count, int size)
        {
            var id = ++_nextId;
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { id, cmd = "burst", count, size }));
            await _process.StandardInput.FlushAsync();
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.GetInt32() == id)
                {
                    if (!root.GetProperty("ok").GetBoolean())
                        throw new InvalidOperationException($"js burst failed: {root.GetProperty("error").GetString()}");
                    return root.GetProperty("ms").GetDouble();
                }
            }

            throw new InvalidOperationException("js gossip mesh exited");
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private static string E2eDirectory([CallerFilePath] string file = "")
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Cere.Chain.sln")))
                    return Path.Combine(d.FullName, "tests", "e2e");
            }

            for (var d = new DirectoryInfo(Path.GetDirectoryName(file) ?? "."); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Cere.Chain.sln")))
                    return Path.Combine(d.FullName, "tests", "e2e");
            }

            throw new DirectoryNotFoundException("repository root (Cere.Chain.sln) not found");
        }
    }
}
