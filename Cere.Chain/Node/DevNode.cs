using Cere.Chain.Blocks;
using Cere.Chain.Dev;
using Cere.Chain.Execution;
using Cere.Chain.Rpc;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.Storage.Db;

namespace Cere.Chain.Node;

/// <summary>The one-validator dev chain: database, chain, pool, sealer and JSON-RPC, wired together.</summary>
public sealed class DevNode : IAsyncDisposable
{
    private readonly IKeyValueStore _db;
    private readonly RpcServer _rpc;
    private readonly DevSealer _sealer;
    private readonly PrivateKey[] _keys;
    private readonly NodeOptions _options;

    private DevNode(NodeOptions options, IKeyValueStore db, Blockchain chain, TransactionPool pool, RpcServer rpc, DevSealer sealer, PrivateKey[] keys)
    {
        _options = options;
        _db = db;
        Chain = chain;
        Pool = pool;
        _rpc = rpc;
        _sealer = sealer;
        _keys = keys;
    }

    /// <summary>The chain.</summary>
    public Blockchain Chain { get; }

    /// <summary>The pool.</summary>
    public TransactionPool Pool { get; }

    /// <summary>The RPC URL once started.</summary>
    public Uri? RpcUrl => _rpc.Url;

    /// <summary>Opens (or creates) the dev chain in <paramref name="db"/>; nothing runs until <see cref="StartAsync"/>.</summary>
    public static DevNode Create(NodeOptions options, IKeyValueStore db, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(db);
        ChainSpec spec = EmbeddedChainFiles.DevChainSpec();
        PrivateKey[] keys = DevAccounts.Derive(options.DevMnemonic);
        Genesis genesis = DevAccounts.FundedGenesis(EmbeddedChainFiles.DevGenesis(), keys);
        Blockchain chain = Blockchain.Open(db, genesis, spec);
        TransactionPool pool = new(spec.ChainId);
        ITransactionExecutor executor = new EvmExecutor();
        BlockBuilder builder = new(chain, executor);
        DevSealer sealer = new(chain, pool, builder, TimeSpan.FromSeconds(options.DevPeriodSeconds), keys[0].Address, log);

        RpcLimits limits = new();
        RpcMethodRegistry methods = EthereumRpcMethods.Create(chain, pool, limits);
        RpcServer rpc = new(new RpcServerOptions
        {
            Address = options.RpcAddress,
            Port = options.RpcPort,
            CorsOrigins = options.CorsOrigins,
            AllowedHosts = options.AllowedHosts,
            Limits = limits,
        }, methods);
        return new DevNode(options, db, chain, pool, rpc, sealer, keys);
    }

    /// <summary>Starts JSON-RPC and prints the accounts and how to connect.</summary>
    public async Task StartAsync(TextWriter o, CancellationToken ct)
    {
        await _rpc.StartAsync(ct).ConfigureAwait(false);
        DevAccounts.Print(o, _keys, _options.DevMnemonic, Chain.Spec.ChainId, _rpc.Url!);
        o.WriteLine($"chain head number={Chain.Head.Number} hash={Chain.Head.Hash} stateRoot={Chain.Head.StateRoot} datadir={_options.DataDir}");
    }

    /// <summary>Seals blocks until <paramref name="ct"/> is cancelled.</summary>
    public Task RunSealerAsync(CancellationToken ct) => _sealer.RunAsync(ct);

    /// <summary>Seals one block now (tests).</summary>
    public BuiltBlock SealOnce() => _sealer.SealOnce();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _rpc.DisposeAsync().ConfigureAwait(false);
        _db.Dispose();
    }
}
