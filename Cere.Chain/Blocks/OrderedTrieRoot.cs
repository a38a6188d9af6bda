using Cere.Core;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Storage.Trie;

namespace Cere.Chain.Blocks;

/// <summary>Roots of the per-block tries keyed by RLP(index): transactions and receipts (Yellow Paper §4.3).</summary>
public static class OrderedTrieRoot
{
    /// <summary>The transactions root: values are the transactions' canonical encodings (typed: type ‖ payload).</summary>
    public static Hash256 OfTransactions(IReadOnlyList<Transaction> txs)
    {
        if (txs.Count == 0)
        {
            return Hash256.EmptyTrieRoot;
        }

        PatriciaTrie trie = new();
        Span<byte> key = stackalloc byte[9];
        for (int i = 0; i < txs.Count; i++)
        {
            trie.Set(IndexKey(i, key), TransactionEncoder.Encode(txs[i]));
        }

        return trie.ComputeRoot();
    }

    /// <summary>The receipts root: values are the receipts' consensus encodings.</summary>
    public static Hash256 OfReceipts(IReadOnlyList<Receipt> receipts)
    {
        if (receipts.Count == 0)
        {
            return Hash256.EmptyTrieRoot;
        }

        PatriciaTrie trie = new();
        Span<byte> key = stackalloc byte[9];
        for (int i = 0; i < receipts.Count; i++)
        {
            trie.Set(IndexKey(i, key), receipts[i].Encode());
        }

        return trie.ComputeRoot();
    }

    private static ReadOnlySpan<byte> IndexKey(int index, Span<byte> buffer)
    {
        RlpWriter w = new(buffer);
        w.WriteUInt64((ulong)index);
        return buffer[..w.Position];
    }
}
