using System.Text;
using Cere.Chain.Blocks;
using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>
/// Runs a blockchain fixture through the node's own pipeline: <see cref="Blockchain.Open(IKeyValueStore, BlockHeader, IReadOnlyDictionary{Address, GenesisAccount}, ChainSpec, ForkSchedule)"/>
/// on a fresh store, then every block's RLP through <see cref="BlockProcessor.ImportRlp"/>.
/// </summary>
public static class BlockchainTestRunner
{
    /// <summary>Ethereum mainnet's chain id and EIP-1559 parameters, as the fixtures are filled with.</summary>
    public static readonly ChainSpec Spec = new() { ChainId = 1, Name = "ethereum-fixtures" };

    /// <summary>The fork schedule of a fixture network (null: a network this node does not run).</summary>
    public static ForkSchedule? ForksOf(string network) => network switch
    {
        "Cancun" => ForkSchedule.Cancun,
        "ShanghaiToCancunAtTime15k" => new ForkSchedule(0, 15_000),
        _ => null,
    };

    /// <summary>Runs <paramref name="c"/>; null when it passes, else what went wrong.</summary>
    public static string? Run(BlockchainTestCase c)
    {
        ForkSchedule forks = ForksOf(c.Network) ?? throw new ArgumentException($"network {c.Network} is not run", nameof(c));

        // Genesis: the fixture's header fields over our own state root of the pre-state; its hash must be the fixture's.
        WorldState fresh = WorldState.Open(new TrieNodeStore(new MemoryStore(), 0), Hash256.EmptyTrieRoot);
        GenesisBlock.ApplyAlloc(c.Pre, fresh);
        BlockHeader genesis = WithStateRoot(c.GenesisHeader, fresh.ComputeStateRoot());
        if (genesis.Hash != c.GenesisHash)
        {
            return $"genesis hash {genesis.Hash}, fixture {c.GenesisHash} (state root {genesis.StateRoot}, fixture {c.GenesisHeader.StateRoot})";
        }

        MemoryStore db = new();
        Blockchain chain = Blockchain.Open(db, genesis, c.Pre, Spec, forks);
        BlockProcessor processor = new(chain, new EvmExecutor());
        for (int i = 0; i < c.Blocks.Count; i++)
        {
            FixtureBlock b = c.Blocks[i];
            Hash256 headBefore = chain.Head.Hash;
            int headersBefore = db.Count(DbColumn.Headers);
            int nodesBefore = db.Count(DbColumn.TrieNodes);
            try
            {
                processor.ImportRlp(b.Rlp);
                if (b.ExpectException is not null)
                {
                    return $"block {i} was accepted, but must be rejected with {b.ExpectException}";
                }
            }
            catch (InvalidBlockException e)
            {
                if (b.ExpectException is null)
                {
                    return $"block {i} was rejected: {e.Message}";
                }

                if (RejectionReasons.Check(b.ExpectException, e.Message) is string wrongReason)
                {
                    return $"block {i}: {wrongReason}";
                }

                if (chain.Head.Hash != headBefore || db.Count(DbColumn.Headers) != headersBefore || db.Count(DbColumn.TrieNodes) != nodesBefore)
                {
                    return $"block {i} was rejected ({e.Message}) but changed the store";
                }
            }
        }

        if (chain.Head.Hash != c.LastBlockHash)
        {
            return $"head {chain.Head.Number} {chain.Head.Hash}, expected lastblockhash {c.LastBlockHash}";
        }

        if (c.PostState is not null)
        {
            WorldState expected = WorldState.Open(new TrieNodeStore(new MemoryStore(), 0), Hash256.EmptyTrieRoot);
            GenesisBlock.ApplyAlloc(c.PostState, expected);
            Hash256 expectedRoot = expected.ComputeStateRoot();
            if (expectedRoot != chain.Head.StateRoot)
            {
                return $"post-state root {chain.Head.StateRoot}, expected {expectedRoot}: " + Diff(c.PostState, chain.OpenState(chain.Head.StateRoot));
            }
        }
        else if (c.PostStateHash is Hash256 root && root != chain.Head.StateRoot)
        {
            return $"post-state root {chain.Head.StateRoot}, expected postStateHash {root}";
        }

        return null;
    }

    private static string Diff(IReadOnlyDictionary<Address, GenesisAccount> post, WorldState actual)
    {
        StringBuilder sb = new();
        foreach ((Address a, GenesisAccount want) in post)
        {
            if (!actual.AccountExists(a))
            {
                sb.Append($"[{a} missing] ");
                continue;
            }

            if (actual.GetBalance(a) != want.Balance)
            {
                sb.Append($"[{a} balance {actual.GetBalance(a)} want {want.Balance}] ");
            }

            if (actual.GetNonce(a) != want.Nonce)
            {
                sb.Append($"[{a} nonce {actual.GetNonce(a)} want {want.Nonce}] ");
            }

            if (!actual.GetCode(a).AsSpan().SequenceEqual(want.Code))
            {
                sb.Append($"[{a} code differs] ");
            }

            foreach ((UInt256 k, UInt256 v) in want.Storage)
            {
                if (actual.GetStorage(a, k) != v)
                {
                    sb.Append($"[{a} slot {k} = {actual.GetStorage(a, k)} want {v}] ");
                }
            }
        }

        return sb.Length == 0 ? "the listed accounts match (an extra account or slot exists)" : sb.ToString();
    }

    private static BlockHeader WithStateRoot(BlockHeader g, Hash256 root) => new()
    {
        ParentHash = g.ParentHash, OmmersHash = g.OmmersHash, Beneficiary = g.Beneficiary, StateRoot = root,
        TransactionsRoot = g.TransactionsRoot, ReceiptsRoot = g.ReceiptsRoot, LogsBloom = g.LogsBloom, Difficulty = g.Difficulty,
        Number = g.Number, GasLimit = g.GasLimit, GasUsed = g.GasUsed, Timestamp = g.Timestamp, ExtraData = g.ExtraData,
        MixHash = g.MixHash, Nonce = g.Nonce, BaseFeePerGas = g.BaseFeePerGas, WithdrawalsRoot = g.WithdrawalsRoot,
        BlobGasUsed = g.BlobGasUsed, ExcessBlobGas = g.ExcessBlobGas, ParentBeaconBlockRoot = g.ParentBeaconBlockRoot,
    };
}
