using Cere.Core;
using Cere.Core.Rlp;
using Cere.Storage.Db;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>
/// Everything a set of state roots reaches: account trie nodes, the storage trie nodes of every account, code hashes.
/// The mark phase of pruning, and the completeness check after a crash.
/// </summary>
public sealed class ReachableState
{
    private readonly IKeyValueStore _db;

    private ReachableState(IKeyValueStore db) => _db = db;

    /// <summary>Hashes of every reachable stored node.</summary>
    public HashSet<Hash256> Nodes { get; } = [];

    /// <summary>Hashes of every reachable non-empty code.</summary>
    public HashSet<Hash256> Codes { get; } = [];

    /// <summary>Accounts seen (a leaf reached twice through shared nodes counts once).</summary>
    public long Accounts { get; private set; }

    /// <summary>
    /// Walks every state under <paramref name="roots"/>, reading nodes from the database (not the cache, which it would
    /// flush) and checking each against its hash.
    /// </summary>
    /// <exception cref="TrieNodeMissingException">A reachable node is not in the database.</exception>
    /// <exception cref="TrieNodeCorruptedException">A reachable node's bytes are not that node.</exception>
    /// <exception cref="StateDataCorruptedException">An account leaf is not an account, or reachable code is missing (when <paramref name="checkCode"/>).</exception>
    public static ReachableState Collect(IKeyValueStore db, IEnumerable<Hash256> roots, bool checkCode = false)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ReachableState state = new(db);
        TrieNodeStore uncached = new(db, 0);
        foreach (Hash256 root in roots)
        {
            if (root != Hash256.EmptyTrieRoot)
            {
                state.MarkNode(uncached, root, account: true);
            }
        }

        if (checkCode)
        {
            foreach (Hash256 code in state.Codes)
            {
                if (!db.Contains(DbColumn.Code, code.Bytes))
                {
                    throw new StateDataCorruptedException(code, "reachable code is missing from the database");
                }
            }
        }

        return state;
    }

    private void MarkNode(TrieNodeStore store, in Hash256 hash, bool account)
    {
        if (!Nodes.Add(hash))
        {
            return;
        }

        byte[] rlp = store.Load(hash);
        Visit(store, TrieNodeDecoder.Decode(rlp, hash), account);
    }

    private void Visit(TrieNodeStore store, TrieNode node, bool account)
    {
        switch (node.Kind)
        {
            case NodeKind.Hash:
                MarkNode(store, node.Hash, account);
                break;
            case NodeKind.Leaf:
                if (account)
                {
                    VisitAccount(store, ((LeafNode)node).Value);
                }

                break;
            case NodeKind.Extension:
                Visit(store, ((ExtensionNode)node).Child, account);
                break;
            default:
                BranchNode branch = (BranchNode)node;
                for (int i = 0; i < 16; i++)
                {
                    if (branch.IsStoredAt(i))
                    {
                        MarkNode(store, branch.StoredHashAt(i), account);
                    }
                    else if (branch.ObjectAt(i) is TrieNode child)
                    {
                        Visit(store, child, account);
                    }
                }

                break;
        }
    }

    private void VisitAccount(TrieNodeStore store, byte[] rlp)
    {
        Account a;
        try
        {
            a = Account.Decode(rlp);
        }
        catch (RlpException e)
        {
            throw new StateDataCorruptedException(Hash256.Zero, "an account trie leaf is not an account record", e);
        }

        Accounts++;
        if (a.StorageRoot != Hash256.EmptyTrieRoot)
        {
            MarkNode(store, a.StorageRoot, account: false);
        }

        if (a.CodeHash != Hash256.EmptyKeccak)
        {
            Codes.Add(a.CodeHash);
        }
    }
}
