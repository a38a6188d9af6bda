using System.Collections.Concurrent;
using Cere.Chain.Consensus;
using Cere.Consensus.Machine;
using Cere.Core;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Four validators (the first four test-mnemonic keys, equal stake) on real libp2p hosts on 127.0.0.1 and their own
/// RocksDB in a temporary directory; nodes can be stopped and started again on the same directory and keys.
/// </summary>
internal sealed class ValidatorNetworkFixture : IAsyncDisposable
{
    public const int Size = 4;

    // Short timeouts keep the test quick; the rounds they lose when a proposer is down are what the test exercises.
    private static readonly TimeoutSchedule FastTimeouts = new()
    {
        ProposeMs = 800, ProposeDeltaMs = 200, PrevoteMs = 400, PrevoteDeltaMs = 200, PrecommitMs = 400, PrecommitDeltaMs = 200, RebroadcastMs = 1000,
    };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cere-vnet-" + Guid.NewGuid().ToString("N"));
    private readonly PeerPrivateKey[] _peerKeys = new PeerPrivateKey[Size];
    private readonly Multiaddr?[] _addresses = new Multiaddr?[Size];
    private readonly DateTime _t0 = DateTime.UtcNow;

    public ValidatorNetworkFixture()
    {
        Genesis dev = DevChainFixture.Genesis();
        GenesisValidator[] validators = new GenesisValidator[Size];
        for (int i = 0; i < Size; i++)
        {
            validators[i] = new GenesisValidator(DevChainFixture.Keys[i].Address, UInt256.Parse("1000000000000000000000"));
            _peerKeys[i] = PeerPrivateKey.Generate();
        }

        Genesis = new Genesis
        {
            ChainId = dev.ChainId, Timestamp = dev.Timestamp, GasLimit = dev.GasLimit, BaseFeePerGas = dev.BaseFeePerGas, ExtraData = dev.ExtraData,
            Coinbase = dev.Coinbase, MixHash = dev.MixHash, Alloc = dev.Alloc, Validators = validators,
        };
        Spec = DevChainFixture.Spec();
    }

    public Genesis Genesis { get; }

    public ChainSpec Spec { get; }

    public ValidatorNode?[] Nodes { get; } = new ValidatorNode?[Size];

    /// <summary>Every block committed by any node, by height: a second, different hash at a height is a safety violation.</summary>
    public ConcurrentDictionary<ulong, Hash256> Committed { get; } = new();

    public ConcurrentQueue<string> SafetyViolations { get; } = new();

    public ConcurrentQueue<string> Log { get; } = new();

    public static PrivateKey KeyOf(int i) => DevChainFixture.Keys[i];

    public async Task<ValidatorNode> StartAsync(int i)
    {
        List<Multiaddr> bootnodes = [];
        for (int j = 0; j < Size; j++)
        {
            if (j != i && Nodes[j] is not null && _addresses[j] is { } a)
            {
                bootnodes.Add(a);
            }
        }

        ValidatorNode node = await ValidatorNode.StartAsync(new ValidatorNodeOptions
        {
            Spec = Spec,
            Genesis = Genesis,
            ValidatorKey = KeyOf(i),
            P2pKey = _peerKeys[i],
            DataDir = Path.Combine(_root, $"node{i}"),
            ListenAddress = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"),
            Bootnodes = bootnodes,
            Timeouts = FastTimeouts,
            ReconnectMaxBackoff = TimeSpan.FromSeconds(2),
            Log = line => Log.Enqueue($"{(DateTime.UtcNow - _t0).TotalSeconds,7:0.000} n{i} {line}"),
        });
        node.Chain.BlockCommitted += (block, _) =>
        {
            Hash256 first = Committed.GetOrAdd(block.Number, block.Hash);
            if (first != block.Hash)
            {
                SafetyViolations.Enqueue($"node {i} committed {block.Hash} at height {block.Number}, another node committed {first}");
            }
        };
        Nodes[i] = node;
        _addresses[i] = node.ListenAddress;
        return node;
    }

    public async Task StopAsync(int i)
    {
        ValidatorNode? node = Nodes[i];
        Nodes[i] = null;
        if (node is not null)
        {
            await node.DisposeAsync();
        }
    }

    public IEnumerable<ValidatorNode> Running()
    {
        foreach (ValidatorNode? n in Nodes)
        {
            if (n is not null)
            {
                yield return n;
            }
        }
    }

    public ulong MinHead()
    {
        ulong min = ulong.MaxValue;
        foreach (ValidatorNode n in Running())
        {
            min = Math.Min(min, n.Chain.Head.Number);
        }

        return min;
    }

    public ulong MaxHead()
    {
        ulong max = 0;
        foreach (ValidatorNode n in Running())
        {
            max = Math.Max(max, n.Chain.Head.Number);
        }

        return max;
    }

    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    public void DumpLog(TextWriter o)
    {
        foreach (string line in Log)
        {
            o.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Size; i++)
        {
            await StopAsync(i);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
