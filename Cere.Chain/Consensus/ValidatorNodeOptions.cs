using System.Net;
using Cere.Consensus.Machine;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.Storage.Db;

namespace Cere.Chain.Consensus;

/// <summary>What a <see cref="ValidatorNode"/> runs on: the chain files, its keys, its directory and its network (no validator key: a full node).</summary>
public sealed record ValidatorNodeOptions
{
    /// <summary>The chain's rules.</summary>
    public required ChainSpec Spec { get; init; }

    /// <summary>The genesis (its <c>cere.validators</c> are the validator set).</summary>
    public required Genesis Genesis { get; init; }

    /// <summary>
    /// The validator's signing key (its address must be in the genesis set to vote), or null for a full node: it follows
    /// the chain and serves JSON-RPC, but never proposes, votes or signs, and keeps no WAL or double-sign guard.
    /// </summary>
    public PrivateKey? ValidatorKey { get; init; }

    /// <summary>True when <see cref="ValidatorKey"/> is set.</summary>
    public bool IsValidator => ValidatorKey is not null;

    /// <summary>The data directory: the RocksDB database (<c>chaindata/</c>) and, for a validator, the consensus WAL (<c>consensus.wal</c>) and the double-sign guard.</summary>
    public required string DataDir { get; init; }

    /// <summary>A database to use instead of opening <c>chaindata/</c> in <see cref="DataDir"/> (the node disposes it).</summary>
    public IKeyValueStore? Database { get; init; }

    /// <summary>The libp2p identity; null generates one (a new peer id at every start).</summary>
    public PeerPrivateKey? P2pKey { get; init; }

    /// <summary>The libp2p listen address (<c>/ip4/127.0.0.1/tcp/0</c> picks a free port).</summary>
    public Multiaddr ListenAddress { get; init; } = Multiaddr.Parse("/ip4/0.0.0.0/tcp/30333");

    /// <summary>Peers to dial and keep dialling (<c>/ip4/…/tcp/…/p2p/&lt;id&gt;</c>); the chainspec's bootnodes are added.</summary>
    public IReadOnlyList<Multiaddr> Bootnodes { get; init; } = [];

    /// <summary>Dial only <see cref="Bootnodes"/> at their given addresses, never addresses learned from peers (<c>--p2p.no-discovery</c>).</summary>
    public bool DialOnlyBootnodes { get; init; }

    /// <summary>Consensus timeouts; null takes them from the chainspec (propose, vote, delta).</summary>
    public TimeoutSchedule? Timeouts { get; init; }

    /// <summary>Longest pause between redials of a bootnode that went away.</summary>
    public TimeSpan ReconnectMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The JSON-RPC port (HTTP and WebSocket; 0 picks a free one), or null for no JSON-RPC.</summary>
    public int? RpcPort { get; init; }

    /// <summary>The address JSON-RPC listens on.</summary>
    public IPAddress RpcAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Operator log lines (null: none).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The timeouts of <paramref name="spec"/>: propose, prevote and precommit of round 0 and their growth per round, in ms.</summary>
    public static TimeoutSchedule TimeoutsOf(ChainSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TimeoutSchedule
        {
            ProposeMs = spec.ProposeTimeoutMs,
            ProposeDeltaMs = spec.TimeoutDeltaMs,
            PrevoteMs = spec.VoteTimeoutMs,
            PrevoteDeltaMs = spec.TimeoutDeltaMs,
            PrecommitMs = spec.VoteTimeoutMs,
            PrecommitDeltaMs = spec.TimeoutDeltaMs,
            RebroadcastMs = Math.Max(1000, 2L * spec.ProposeTimeoutMs),
        };
    }
}
