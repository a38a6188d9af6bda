using Cere.Core.Rlp;
using Cere.Core.Transactions;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Core.Blocks;

/// <summary>RLP of whole blocks: <c>[header, [transactions…], [ommers…], [withdrawals…]?]</c>.</summary>
public static class BlockCodec
{
    /// <summary>The length of <paramref name="block"/>'s encoding, computed without encoding it (the JSON-RPC <c>size</c>).</summary>
    public static int EncodedLength(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return RlpLength.LengthOfList(PayloadLength(block, out _, out _));
    }

    /// <summary>Encodes a block.</summary>
    public static byte[] Encode(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int payload = PayloadLength(block, out int txs, out int ommers);
        byte[] result = new byte[RlpLength.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        BlockHeaderCodec.Write(ref w, block.Header);
        w.WriteListHeader(txs);
        foreach (Transaction tx in block.Transactions)
        {
            TransactionEncoder.WriteInBlock(ref w, tx);
        }

        w.WriteListHeader(ommers);
        foreach (BlockHeader o in block.Ommers)
        {
            BlockHeaderCodec.Write(ref w, o);
        }

        if (block.Withdrawals is Withdrawal[] withdrawals)
        {
            w.WriteListHeader(WithdrawalsPayloadLength(withdrawals));
            foreach (Withdrawal wd in withdrawals)
            {
                w.WriteListHeader(WithdrawalPayloadLength(wd));
                w.WriteUInt64(wd.Index);
                w.WriteUInt64(wd.ValidatorIndex);
                w.WriteAddress(wd.Address);
                w.WriteUInt64(wd.AmountInGwei);
            }
        }

        w.EnsureFilled();
        return result;
    }

    /// <summary>Decodes a block from exactly <paramref name="encoded"/>.</summary>
    /// <exception cref="RlpException">Malformed block RLP.</exception>
    /// <exception cref="TransactionException">A transaction in the body does not decode.</exception>
    public static Block Decode(ReadOnlySpan<byte> encoded)
    {
        RlpReader r = new(encoded);
        int end = r.ReadListHeader();
        BlockHeader header = BlockHeaderCodec.Read(ref r);

        int txEnd = r.ReadListHeader();
        List<Transaction> txs = [];
        while (r.HasItemsBefore(txEnd))
        {
            txs.Add(TransactionDecoder.DecodeFromBlock(ref r));
        }

        r.EnsureAt(txEnd);
        int ommersEnd = r.ReadListHeader();
        List<BlockHeader> ommers = [];
        while (r.HasItemsBefore(ommersEnd))
        {
            ommers.Add(BlockHeaderCodec.Read(ref r));
        }

        r.EnsureAt(ommersEnd);
        Withdrawal[]? withdrawals = null;
        if (r.HasItemsBefore(end))
        {
            int wEnd = r.ReadListHeader();
            List<Withdrawal> list = [];
            while (r.HasItemsBefore(wEnd))
            {
                int itemEnd = r.ReadListHeader();
                list.Add(new Withdrawal(r.ReadUInt64(), r.ReadUInt64(), r.ReadAddress(), r.ReadUInt64()));
                r.EnsureAt(itemEnd);
            }

            r.EnsureAt(wEnd);
            withdrawals = [.. list];
        }

        r.EnsureAt(end);
        r.EnsureFinished();
        return new Block(header, [.. txs], [.. ommers], withdrawals);
    }

    private static int TransactionsPayloadLength(Transaction[] txs)
    {
        int len = 0;
        foreach (Transaction tx in txs)
        {
            len += TransactionEncoder.LengthInBlock(tx);
        }

        return len;
    }

    private static int PayloadLength(Block block, out int txs, out int ommers)
    {
        txs = TransactionsPayloadLength(block.Transactions);
        ommers = 0;
        foreach (BlockHeader o in block.Ommers)
        {
            ommers += BlockHeaderCodec.EncodedLength(o);
        }

        int payload = BlockHeaderCodec.EncodedLength(block.Header) + RlpLength.LengthOfList(txs) + RlpLength.LengthOfList(ommers);
        if (block.Withdrawals is Withdrawal[] ws)
        {
            payload += RlpLength.LengthOfList(WithdrawalsPayloadLength(ws));
        }

        return payload;
    }

    private static int WithdrawalsPayloadLength(Withdrawal[] ws)
    {
        int len = 0;
        foreach (Withdrawal w in ws)
        {
            len += RlpLength.LengthOfList(WithdrawalPayloadLength(w));
        }

        return len;
    }

    private static int WithdrawalPayloadLength(Withdrawal w) =>
        RlpLength.LengthOf(w.Index) + RlpLength.LengthOf(w.ValidatorIndex) + RlpLength.LengthOfAddress + RlpLength.LengthOf(w.AmountInGwei);
}
