using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.Storage.Trie;
using RlpLength = Cere.Core.Rlp.Rlp;

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

    /// <summary>EIP-4895 withdrawals root: values are RLP([index, validatorIndex, address, amount]).</summary>
    public static Hash256 OfWithdrawals(IReadOnlyList<Withdrawal> withdrawals)
    {
        if (withdrawals.Count == 0)
        {
            return Hash256.EmptyTrieRoot;
        }

        PatriciaTrie trie = new();
        Span<byte> key = stackalloc byte[9];
        Span<byte> value = stackalloc byte[64];
        for (int i = 0; i < withdrawals.Count; i++)
        {
            Withdrawal w = withdrawals[i];
            int payload = RlpLength.LengthOf(w.Index) + RlpLength.LengthOf(w.ValidatorIndex) + RlpLength.LengthOfAddress + RlpLength.LengthOf(w.AmountInGwei);
            RlpWriter rw = new(value);
            rw.WriteListHeader(payload);
            rw.WriteUInt64(w.Index);
            rw.WriteUInt64(w.ValidatorIndex);
            rw.WriteAddress(w.Address);
            rw.WriteUInt64(w.AmountInGwei);
            trie.Set(IndexKey(i, key), value[..rw.Position]);
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
