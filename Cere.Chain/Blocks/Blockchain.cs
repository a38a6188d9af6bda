using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Core.Receipts;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Storage.Trie;

namespace Cere.Chain.Blocks;

/// <summary>
/// The chain on one database: opens (or writes) genesis, knows the head, opens the state of any kept block and
/// commits a block with its receipts and state in one write batch. Blocks off the canonical chain stay stored by
/// hash (with their receipts and state), so the head can move to another branch.
/// </summary>
/// <remarks>
/// Reads are safe from any thread; commits are serialised.
/// Fork choice: a committed block becomes the head, whichever stored block it extends. After the merge a block
/// carries no weight (difficulty 0): the consensus layer picks the head and hands over only blocks it wants as
/// head (Ethereum: engine_newPayload followed by forkchoiceUpdated; Cere: the finalised block of a height).
/// The Ethereum blockchain fixtures follow the same rule: their lastblockhash is the last valid block imported.
/// </remarks>
public sealed class Blockchain
{
    private readonly Lock _commitLock = new();
    private volatile BlockHeader _head;

    private Blockchain(IKeyValueStore db, ChainSpec spec, ForkSchedule forks, BlockHeader genesis, BlockHeader head)
    {
        Db = db;
        Spec = spec;
        Forks = forks;
        Blocks = new BlockStore(db);
        Nodes = new TrieNodeStore(db);
        Genesis = genesis;
        _head = head;
    }

    /// <summary>
    /// Raised after a block becomes canonical (on the committing thread): the committed block, and before it, in
    /// order, each stored block a reorganisation made canonical again.
    /// </summary>
    public event Action<Block, Receipt[]>? BlockCommitted;

    /// <summary>
    /// Raised after a commit moved the head to another branch, before <see cref="BlockCommitted"/>: the old head and
    /// the common ancestor (blocks above it on the old branch are no longer canonical).
    /// </summary>
    public event Action<BlockHeader, BlockHeader>? Reorganised;

    /// <summary>The database.</summary>
    public IKeyValueStore Db { get; }

    /// <summary>The chain's rules.</summary>
    public ChainSpec Spec { get; }

    /// <summary>When the Shanghai and Cancun block formats apply.</summary>
    public ForkSchedule Forks { get; }

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
    /// Shanghai and Cancun apply from genesis.
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
        return Open(db, block0.Header, genesis.Alloc, spec, ForkSchedule.Cancun);
    }

    /// <summary>
    /// Opens the chain in <paramref name="db"/>; an empty database gets block 0 as <paramref name="genesisHeader"/>
    /// over the allocation <paramref name="alloc"/> (every header field as given, so that any client's genesis block
    /// can be reproduced).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The allocation's state root is not the header's, the database holds a chain with another genesis block, or is damaged.
    /// </exception>
    public static Blockchain Open(IKeyValueStore db, BlockHeader genesisHeader, IReadOnlyDictionary<Address, GenesisAccount> alloc, ChainSpec spec, ForkSchedule forks)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(genesisHeader);
        ArgumentNullException.ThrowIfNull(alloc);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(forks);
        if (genesisHeader.Number != 0)
        {
            throw new InvalidDataException($"a genesis header has number 0, not {genesisHeader.Number}");
        }

        Block block0 = new(genesisHeader, [], [], genesisHeader.WithdrawalsRoot is null ? null : []);
        BlockStore store = new(db);
        Hash256? headHash = store.ReadHeadHash();
        if (headHash is null)
        {
            WorldState state = WorldState.Open(db, Hash256.EmptyTrieRoot);
            GenesisBlock.ApplyAlloc(alloc, state);
            Hash256 root = state.ComputeStateRoot();
            if (root != genesisHeader.StateRoot)
            {
                throw new InvalidDataException($"the allocation's state root {root} is not the genesis header's {genesisHeader.StateRoot}");
            }

            using IWriteBatch batch = db.StartBatch();
            BlockStore.WriteCanonical(batch, block0, []);
            state.Commit(0, batch);
            batch.Write();
            return new Blockchain(db, spec, forks, block0.Header, block0.Header);
        }

        Hash256? stored0 = store.ReadCanonicalHash(0);
        if (stored0 != block0.Hash)
        {
            throw new InvalidDataException($"the data directory holds a chain with genesis {stored0}, not {block0.Hash} from this genesis file; use another --datadir");
        }

        BlockHeader head = store.ReadHeader(headHash.Value)
            ?? throw new InvalidDataException($"the head block {headHash} is missing from the database");
        return new Blockchain(db, spec, forks, block0.Header, head);
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

    /// <summary>True when the stored block <paramref name="header"/> is on the canonical chain.</summary>
    public bool IsCanonical(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Number <= _head.Number && Blocks.ReadCanonicalHash(header.Number) == header.Hash;
    }

    /// <summary>
    /// BLOCKHASH for a child of <paramref name="parent"/>: the hash of the ancestor at a number (zero when there is
    /// none), following <paramref name="parent"/>'s own branch, which need not be canonical.
    /// </summary>
    public Func<long, Hash256> AncestorHashes(BlockHeader parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return n =>
        {
            if (n < 0 || (ulong)n > parent.Number)
            {
                return Hash256.Zero;
            }

            // Walk down the branch until the wanted number or a canonical block; below that the index answers.
            BlockHeader? h = parent;
            while (h is not null)
            {
                if (h.Number == (ulong)n)
                {
                    return h.Hash;
                }

                if (Blocks.ReadCanonicalHash(h.Number) == h.Hash)
                {
                    return Blocks.ReadCanonicalHash((ulong)n) ?? Hash256.Zero;
                }

                h = Blocks.ReadHeader(h.ParentHash);
            }

            return Hash256.Zero;
        };
    }

    /// <summary>A state over the root <paramref name="root"/> (each caller gets its own; they share the node cache).</summary>
    public WorldState OpenState(in Hash256 root) => WorldState.Open(Nodes, root);

    /// <summary>
    /// Writes <paramref name="block"/>, its receipts and <paramref name="state"/> (the post-state of executing it on
    /// its parent's state) in one batch and makes it the head. When the parent is not the head, the canonical indexes
    /// move to the block's branch in the same batch (blocks of the old branch stay stored by hash).
    /// </summary>
    /// <param name="block">The block.</param>
    /// <param name="receipts">Its receipts.</param>
    /// <param name="state">Its post-state, uncommitted.</param>
    /// <param name="alsoWrite">
    /// Optional writes that must land atomically with the block (its commit certificate). It runs under the commit
    /// lock, first, with the head still the old one; throwing from it aborts the commit with nothing written.
    /// </param>
    /// <exception cref="InvalidOperationException">The parent is not stored, the number does not follow it, or the state root differs.</exception>
    public void Commit(Block block, Receipt[] receipts, WorldState state, Action<IWriteBatch>? alsoWrite = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(state);
        BlockHeader? ancestor = null;
        BlockHeader oldHead;
        List<Block> restored = [];
        List<Receipt[]> restoredReceipts = [];
        lock (_commitLock)
        {
            oldHead = _head;
            using (IWriteBatch batch = Db.StartBatch())
            {
                alsoWrite?.Invoke(batch);
                if (block.Header.ParentHash != oldHead.Hash)
                {
                    ancestor = MoveCanonicalTo(batch, block, oldHead, restored, restoredReceipts);
                }
                else if (block.Number != oldHead.Number + 1)
                {
                    throw new InvalidOperationException($"block {block.Number} {block.Hash} does not follow its parent {oldHead.Number} {oldHead.Hash}");
                }

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

        if (ancestor is not null)
        {
            Reorganised?.Invoke(oldHead, ancestor);
            for (int i = 0; i < restored.Count; i++)
            {
                BlockCommitted?.Invoke(restored[i], restoredReceipts[i]);
            }
        }

        BlockCommitted?.Invoke(block, receipts);
    }

    // Adds to the batch what makes block's branch canonical below block: old-branch index entries above the common
    // ancestor go, the new branch's stored blocks (oldest first) get theirs. Returns the common ancestor.
    private BlockHeader MoveCanonicalTo(IWriteBatch batch, Block block, BlockHeader oldHead, List<Block> restored, List<Receipt[]> restoredReceipts)
    {
        BlockHeader parent = Blocks.ReadHeader(block.Header.ParentHash)
            ?? throw new InvalidOperationException($"block {block.Number} {block.Hash}: parent {block.Header.ParentHash} is not stored");
        if (block.Number != parent.Number + 1)
        {
            throw new InvalidOperationException($"block {block.Number} {block.Hash} does not follow its parent {parent.Number} {parent.Hash}");
        }

        List<BlockHeader> branch = [];
        BlockHeader h = parent;
        while (!(h.Number <= oldHead.Number && Blocks.ReadCanonicalHash(h.Number) == h.Hash))
        {
            branch.Add(h);
            h = Blocks.ReadHeader(h.ParentHash)
                ?? throw new InvalidDataException($"stored block {h.Number} {h.Hash} has no stored parent {h.ParentHash}");
        }

        BlockHeader ancestor = h;
        for (ulong n = oldHead.Number; n > ancestor.Number; n--)
        {
            Hash256 old = Blocks.ReadCanonicalHash(n) ?? throw new InvalidDataException($"canonical block {n} is missing from the index");
            Block oldBlock = Blocks.ReadBlock(old) ?? throw new InvalidDataException($"canonical block {n} {old} is missing");
            BlockStore.RemoveCanonical(batch, oldBlock);
        }

        for (int i = branch.Count - 1; i >= 0; i--)
        {
            Block again = Blocks.ReadBlock(branch[i].Hash) ?? throw new InvalidDataException($"stored block {branch[i].Number} {branch[i].Hash} has no body");
            Receipt[] rs = Blocks.ReadReceipts(branch[i].Hash) ?? throw new InvalidDataException($"stored block {branch[i].Number} {branch[i].Hash} has no receipts");
            BlockStore.WriteCanonical(batch, again, rs);
            Logs.LogIndex.Write(batch, again, rs);
            restored.Add(again);
            restoredReceipts.Add(rs);
        }

        return ancestor;
    }
}
