using Cere.Core.Rlp;
using Cere.Core.Transactions;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Chain.Network;

/// <summary>
/// The payload of the transaction-batch topic (<see cref="ChainTopics.TransactionBatches"/>): an RLP list of
/// transactions written as a block body writes them (a legacy transaction as its list, a typed one as an RLP string
/// holding its EIP-2718 envelope), so one gossip message (one author signature, one frame per peer) carries many.
/// </summary>
public static class TransactionBatchCodec
{
    /// <summary>Most transactions in one batch: more is refused (a block holds at most ~1,400 transfers).</summary>
    public const int MaxTransactions = 2048;

    /// <summary>The encoding of <paramref name="txs"/> (1..<see cref="MaxTransactions"/> of them).</summary>
    public static byte[] Encode(IReadOnlyList<Transaction> txs)
    {
        ArgumentNullException.ThrowIfNull(txs);
        if (txs.Count is 0 or > MaxTransactions)
        {
            throw new ArgumentException($"a batch holds 1..{MaxTransactions} transactions, not {txs.Count}", nameof(txs));
        }

        int payload = 0;
        for (int i = 0; i < txs.Count; i++)
        {
            payload += TransactionEncoder.LengthInBlock(txs[i]);
        }

        byte[] output = new byte[RlpLength.LengthOfList(payload)];
        RlpWriter writer = new(output);
        writer.WriteListHeader(payload);
        for (int i = 0; i < txs.Count; i++)
        {
            TransactionEncoder.WriteInBlock(ref writer, txs[i]);
        }

        writer.EnsureFilled();
        return output;
    }

    /// <summary>Decodes a batch; each transaction keeps the exact bytes it came in (its hash needs no re-encoding).</summary>
    /// <exception cref="TransactionException">Not a well-formed batch of 1..<see cref="MaxTransactions"/> transactions (the first fault).</exception>
    public static Transaction[] Decode(ReadOnlySpan<byte> data)
    {
        List<Transaction> txs = [];
        RlpReader reader = new(data);
        try
        {
            int end = reader.ReadListHeader();
            while (reader.HasItemsBefore(end))
            {
                if (txs.Count == MaxTransactions)
                {
                    throw new TransactionException(TxError.MalformedRlp, $"a transaction batch holds at most {MaxTransactions} transactions", "batch");
                }

                txs.Add(TransactionDecoder.DecodeFromBlock(ref reader));
            }

            reader.EnsureAt(end);
            reader.EnsureFinished();
        }
        catch (RlpException e)
        {
            throw new TransactionException(TxError.MalformedRlp, $"transaction batch: {e.Message}", "batch", e.Error, e);
        }

        if (txs.Count == 0)
        {
            throw new TransactionException(TxError.MalformedRlp, "an empty transaction batch", "batch");
        }

        return [.. txs];
    }
}
