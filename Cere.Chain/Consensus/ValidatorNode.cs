using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Chain.Network;
using Cere.Chain.Rpc;
using Cere.Chain.TxPool;
using Cere.Chain.ValidatorKeys;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Transactions;
using Cere.P2P.Addressing;
using Cere.P2P.Hosting;
using Cere.P2P.Peers;
using Cere.P2P.PubSub;
using Cere.P2P.RequestResponse;
using Cere.Storage.Db;

namespace Cere.Chain.Consensus;

/// <summary>
/// A validator: its chain and pool on its own database, a libp2p host with gossipsub and the block-sync protocol, and
/// the consensus loop that proposes, votes and commits, wired together. Without a validator key it is a full node: the
/// same wiring with consensus as an observer (<see cref="ConsensusService.IsObserver"/>), no WAL and no double-sign
/// guard. <see cref="StartAsync"/> opens and starts it; disposing stops it and closes the database.
/// </summary>
public sealed class ValidatorNode : IAsyncDisposable
{
    private readonly IKeyValueStore _db;
    private readonly FileWalStorage? _walStorage;
    private readonly DoubleSignGuard? _guard;
    private readonly RpcServer? _rpc;
    private readonly GossipsubService _gossipsub;
    private readonly ConnectionManager _connections;
    private readonly ChainGossip _gossip;
    private readonly BlockSynchronizer _sync;
    private readonly Action<string> _log;
    private int _disposed;

    [ThreadStatic]
    private static bool t_addingFromGossip;

    private ValidatorNode(
        IKeyValueStore db, FileWalStorage? walStorage, DoubleSignGuard? guard, RpcServer? rpc, Blockchain chain, TransactionPool pool, Host host, GossipsubService gossipsub,
        ConnectionManager connections, ChainGossip gossip, BlockSynchronizer sync, ConsensusService consensus, Multiaddr address, Action<string> log)
    {
        _db = db;
        _walStorage = walStorage;
        _guard = guard;
        _rpc = rpc;
        Chain = chain;
        Pool = pool;
        Host = host;
        _gossipsub = gossipsub;
        _connections = connections;
        _gossip = gossip;
        _sync = sync;
        Consensus = consensus;
        ListenAddress = address;
        _log = log;
    }

    /// <summary>The chain.</summary>
    public Blockchain Chain { get; }

    /// <summary>The transaction pool (transactions added here are gossiped).</summary>
    public TransactionPool Pool { get; }

    /// <summary>The libp2p host.</summary>
    public Host Host { get; }

    /// <summary>The consensus loop.</summary>
    public ConsensusService Consensus { get; }

    /// <summary>True for a validator, false for a full node (no validator key).</summary>
    public bool IsValidator => !Consensus.IsObserver;

    /// <summary>How long a peer that sent invalid blocks or certificates during sync stays banned.</summary>
    public static readonly TimeSpan SyncBanDuration = TimeSpan.FromMinutes(10);

    /// <summary>Block sync (its <see cref="BlockSynchronizer.Progress"/> feeds <c>eth_syncing</c>).</summary>
    public BlockSynchronizer Sync => _sync;

    /// <summary>The address peers dial, with <c>/p2p/&lt;id&gt;</c>.</summary>
    public Multiaddr ListenAddress { get; }

    /// <summary>The JSON-RPC URL, or null when JSON-RPC is off.</summary>
    public Uri? RpcUrl => _rpc?.Url;

    /// <summary>Gossip messages rejected by validation (undecodable, wrong chain, bad signature).</summary>
    public long GossipRejected => _gossip.Rejected;

    /// <summary>This node's gossipsub score of <paramref name="peer"/> (falls when the peer sends messages that fail validation).</summary>
    public double PeerScore(P2P.Crypto.PeerId peer) => _gossipsub.Score(peer);

    /// <summary>Bans <paramref name="peer"/> for <paramref name="duration"/>: its connections are closed and refused until then (operator action; tests use it to partition).</summary>
    public Task BanPeerAsync(P2P.Crypto.PeerId peer, TimeSpan duration, string reason) => _connections.BanAsync(peer, duration, reason);

    /// <summary>Opens the database, listens, dials the bootnodes and starts consensus at the height after the head.</summary>
    /// <exception cref="InvalidDataException">The data directory holds another chain.</exception>
    public static async Task<ValidatorNode> StartAsync(ValidatorNodeOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Action<string> log = options.Log ?? (_ => { });
        Directory.CreateDirectory(options.DataDir);
        IKeyValueStore db = options.Database ?? RocksDbStore.Open(Path.Combine(options.DataDir, "chaindata"));
        FileWalStorage? walStorage = null;
        DoubleSignGuard? guard = null;
        Host? host = null;
        RpcServer? rpc = null;
        try
        {
            Blockchain chain = Blockchain.Open(db, options.Genesis, options.Spec);
            ulong chainId = options.Spec.ChainId;
            TransactionPool pool = new(chainId);
            ValidatorSchedule schedule = new(options.Genesis);
            CachingSignatureVerifier verifier = new(Secp256k1SignatureVerifier.Instance);
            CertificateStore certificates = new(db);
            Secp256k1ConsensusSigner? signer = null;
            ConsensusWal? wal = null;
            if (options.ValidatorKey is { } key)
            {
                guard = DoubleSignGuard.Open(options.DataDir);
                walStorage = new FileWalStorage(Path.Combine(options.DataDir, "consensus.wal"));
                signer = new Secp256k1ConsensusSigner(key);
                wal = new ConsensusWal(walStorage);
            }

            ConsensusService consensus = new(
                chain, pool, new ProposalExecutor(chain, new EvmExecutor()), schedule, certificates, signer, verifier, wal,
                options.Timeouts ?? ValidatorNodeOptions.TimeoutsOf(options.Spec), log: log, guard: guard);

            host = new Host(new HostOptions
            {
                Identity = options.P2pKey ?? P2P.Crypto.PeerPrivateKey.Generate(),
                AgentVersion = options.IsValidator ? "cere-node/validator" : "cere-node/full",
                Log = log,
            });
            Multiaddr bound = await host.ListenAsync(options.ListenAddress, ct).ConfigureAwait(false);
            Multiaddr address = bound.WithPeerId(host.PeerId);

            // Blocks of a full gas limit of calldata are about 2 MB; gossip the proposal that carries one whole.
            GossipsubService gossipsub = new(host, new GossipsubOptions { MaxMessageSize = ConsensusCodec.MaxBlockSize / 4, MaxRpcSize = ConsensusCodec.MaxBlockSize / 2 });
            ChainTopics topics = new(chainId);
            Core.Crypto.PrivateKey? validatorKey = options.ValidatorKey; // the proposer announces decided blocks (ChainGossip.PublishBlock)
            ChainGossip gossip = new(gossipsub, topics, verifier, schedule, log) { LocalValidator = validatorKey?.Address };
            RequestResponseService requests = new(host);
            BlockSyncProtocol protocol = new(requests, topics, chain, certificates);
            CertifiedBlockImporter importer = new(chain, certificates, schedule, verifier, new EvmExecutor());

            List<Multiaddr> bootnodes = [.. options.Bootnodes];
            foreach (string b in options.Spec.Bootnodes)
            {
                bootnodes.Add(Multiaddr.Parse(b));
            }

            ConnectionManager connections = new(host, new PeerStore(), new ConnectionManagerOptions
            {
                Bootnodes = bootnodes,
                ReconnectMaxBackoff = options.ReconnectMaxBackoff,
                DialOnlyBootnodeAddresses = options.DialOnlyBootnodes,
            });

            // Far behind, sync commits certified blocks itself; caught up, consensus starts after the new head.
            BlockSynchronizer sync = new(
                host, protocol, importer, () => consensus.Height, consensus.OnHeadAdvanced,
                (peer, reason) => connections.BanAsync(peer, SyncBanDuration, reason), log);

            if (options.RpcPort is int rpcPort)
            {
                rpc = ValidatorRpc.Create(chain, pool, options.RpcAddress, rpcPort, () => sync.Progress);
                await rpc.StartAsync(ct).ConfigureAwait(false);
            }

            ValidatorNode node = new(db, walStorage, guard, rpc, chain, pool, host, gossipsub, connections, gossip, sync, consensus, address, log);
            node.Wire(protocol);
            string role = options.ValidatorKey is { } k ? $"validator {k.Address}" : "full node";
            log($"{role} chain {chainId} head {chain.Head.Number} {chain.Head.Hash} listening on {address}");
            return node;
        }
        catch
        {
            if (rpc is not null)
            {
                await rpc.DisposeAsync().ConfigureAwait(false);
            }

            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            walStorage?.Dispose();
            guard?.Dispose();
            db.Dispose();
            throw;
        }
    }

    /// <summary>Adds a transaction to the pool (checked against the head's state) and gossips it.</summary>
    /// <exception cref="TxPoolException">The pool refused it; the message says why.</exception>
    public Hash256 SubmitTransaction(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        BlockHeader head = Chain.Head;
        return Pool.Add(tx, Chain.OpenState(head.StateRoot), head.GasLimit);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_rpc is not null)
        {
            await _rpc.DisposeAsync().ConfigureAwait(false);
        }

        await Consensus.DisposeAsync().ConfigureAwait(false);
        await _sync.DisposeAsync().ConfigureAwait(false);
        _gossip.Dispose();
        await _connections.DisposeAsync().ConfigureAwait(false);
        await _gossipsub.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        _walStorage?.Dispose();
        _guard?.Dispose();
        _db.Dispose();
    }

    private void Wire(BlockSyncProtocol protocol)
    {
        protocol.Register();
        Consensus.Broadcast += _gossip.PublishConsensus;
        Consensus.Decided += _gossip.PublishBlock;
        Consensus.PeerAhead += height => _sync.Trigger(height);
        Pool.TransactionAdded += tx =>
        {
            // A transaction that came in by gossip is forwarded by gossipsub itself; only local ones are published.
            if (!t_addingFromGossip)
            {
                _gossip.PublishTransaction(tx);
            }
        };
        _gossip.Start(Consensus.Post, OnGossipTransaction, OnGossipBlock);
        _gossipsub.Start();
        _connections.UseGossipsub(_gossipsub);
        _connections.Start();
        Host.PeerConnected += _ => _sync.Trigger(); // a new peer may be ahead (a restart, a healed partition)
        Consensus.Start();
    }

    private void OnGossipTransaction(Transaction tx)
    {
        t_addingFromGossip = true;
        try
        {
            BlockHeader head = Chain.Head;
            Pool.Add(tx, Chain.OpenState(head.StateRoot), head.GasLimit);
        }
        catch (TxPoolException)
        {
            // Known, stale or unaffordable here: the pool's verdict; gossip validation already screened forgeries.
        }
        finally
        {
            t_addingFromGossip = false;
        }
    }

    private void OnGossipBlock(CommitMessage commit)
    {
        ulong height = commit.Height;
        if (height == Consensus.Height)
        {
            Consensus.Post(commit); // we missed the votes: the certificate decides this height here too
        }
        else if (height > Consensus.Height)
        {
            _sync.Trigger(height);
        }
    }
}
