using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Core.Receipts;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Chain.Blocks;

/// <summary>
/// The canonical chain on one database: opens (or writes) genesis, knows the head, opens the state of any kept
/// block and commits a block with its receipts and state in one write batch.
/// </summary>
/// <remarks>Reads are safe from any thread; commits are serialised.</remarks>
public sealed class Blockchain
{
    private readonly Lock _commitLock = new();
    private volatile BlockHeader _head;

    private Blockchain(IKeyValueStore db, ChainSpec spec, BlockHeader genesis, BlockHeader head)
    {
        Db = db;
        Spec = spec;
        Blocks = new BlockStore(db);
        Nodes = new TrieNodeStore(db);
        Genesis = genesis;
        _head = head;
    }

    /// <summary>Raised after a block is committed (on the committing thread).</summary>
    public event Action<Block, Receipt[]>? BlockCommitted;

    /// <summary>The database.</summary>
    public IKeyValueStore Db { get; }

    /// <summary>The chain's rules.</summary>
    public ChainSpec Spec { get; }

    /// <summary>Blocks, receipts and indexes.</summary>
    public BlockStore Blocks { get; }

    /// <summary>The trie node store shared by every state opened here (one node cache).</summary>
    public TrieNodeStore Nodes { get; }

    /// <summary>Block 0's header.</summary>
    public BlockHeader Genesis { get; }

    /// <summary>The head block's header.</summary>
    public BlockHeader Head => _head;

    /// <summary>
    /// Opens the chain in <paramref name="db"/>; an empty database gets block 0 from <paramref name="genesis"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The database holds a chain with another genesis block, or is damaged.</exception>
    public static Blockchain Open(IKeyValueStore db, Genesis genesis, ChainSpec spec)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(spec);
        if (genesis.ChainId != spec.ChainId)
        {
            throw new InvalidDataException($"the genesis is for chain {genesis.ChainId} but the chainspec for chain {spec.ChainId}");
        }

        WorldState fresh = WorldState.Open(new TrieNodeStore(new MemoryStore(), 0), Hash256.EmptyTrieRoot);
        Block block0 = GenesisBlock.Create(genesis, fresh);
        BlockStore store = new(db);
        Hash256? headHash = store.ReadHeadHash();
        if (headHash is null)
        {
            WorldState state = WorldState.Open(db, Hash256.EmptyTrieRoot);
            GenesisBlock.Create(genesis, state);
            using IWriteBatch batch = db.StartBatch();
            BlockStore.WriteCanonical(batch, block0, []);
            state.Commit(0, batch);
            batch.Write();
            return new Blockchain(db, spec, block0.Header, block0.Header);
        }

        Hash256? stored0 = store.ReadCanonicalHash(0);
        if (stored0 != block0.Hash)
        {
            throw new InvalidDataException($"the data directory holds a chain with genesis {stored0}, not {block0.Hash} from this genesis file; use another --datadir");
        }

        BlockHeader head = store.ReadHeader(headHash.Value)
            ?? throw new InvalidDataException($"the head block {headHash} is missing from the database");
        return new Blockchain(db, spec, block0.Header, head);
    }

    /// <summary>The canonical header at <paramref name="number"/>, or null.</summary>
    public BlockHeader? HeaderByNumber(ulong number)
    {
        BlockHeader head = _head;
        if (number > head.Number)
        {
            return null;
        }

        return number == head.Number ? head : Blocks.ReadCanonicalHash(number) is Hash256 h ? Blocks.ReadHeader(h) : null;
    }

    /// <summary>A state over the root <paramref name="root"/> (each caller gets its own; they share the node cache).</summary>
    public WorldState OpenState(in Hash256 root) => WorldState.Open(Nodes, root);

    /// <summary>
    /// Writes <paramref name="block"/>, its receipts and <paramref name="state"/> (the post-state of executing it on
    /// the head's state) in one batch and makes it the head.
    /// </summary>
    /// <exception cref="InvalidOperationException">The block does not extend the current head.</exception>
    public void Commit(Block block, Receipt[] receipts, WorldState state)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(state);
        lock (_commitLock)
        {
            BlockHeader head = _head;
            if (block.Header.ParentHash != head.Hash || block.Number != head.Number + 1)
            {
                throw new InvalidOperationException($"block {block.Number} {block.Hash} does not extend the head {head.Number} {head.Hash}");
            }

            using (IWriteBatch batch = Db.StartBatch())
            {
                BlockStore.WriteCanonical(batch, block, receipts);
                Logs.LogIndex.Write(batch, block, receipts); // eth_getLogs' per-block digest, atomic with the block
                Hash256 root = state.Commit((long)block.Number, batch);
                if (root != block.Header.StateRoot)
                {
                    throw new InvalidOperationException($"the state root {root} differs from the header's {block.Header.StateRoot}");
                }

                batch.Write();
            }

            _head = block.Header;
        }

        BlockCommitted?.Invoke(block, receipts);
    }
}
