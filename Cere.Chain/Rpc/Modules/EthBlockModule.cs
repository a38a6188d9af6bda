using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>Blocks, transactions and receipts: eth_getBlockBy*, eth_getBlockTransactionCountBy*, eth_getTransactionBy*, eth_getTransactionReceipt, eth_getBlockReceipts.</summary>
public static class EthBlockModule
{
    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, ChainReader reader, TransactionPool pool)
    {
        registry.Register("eth_getBlockByNumber", (args, w, _) =>
        {
            args.ExpectCount(2, 2);
            BlockSelector sel = args.GetBlock(0, BlockSelector.Latest);
            bool full = args.GetBool(1, false);
            WriteBlockOrNull(w, reader.Block(sel), full);
        });
        registry.Register("eth_getBlockByHash", (args, w, _) =>
        {
            args.ExpectCount(2, 2);
            Hash256 hash = args.GetHash(0);
            bool full = args.GetBool(1, false);
            WriteBlockOrNull(w, reader.Block(hash), full);
        });
        registry.Register("eth_getBlockTransactionCountByNumber", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            WriteCountOrNull(w, reader.Block(args.GetBlock(0, BlockSelector.Latest)));
        });
        registry.Register("eth_getBlockTransactionCountByHash", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            WriteCountOrNull(w, reader.Block(args.GetHash(0)));
        });
        registry.Register("eth_getTransactionByHash", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            Hash256 hash = args.GetHash(0);
            if (reader.Chain.Blocks.ReadTxLocation(hash) is TxLocation loc && reader.Block(loc.BlockHash) is Block b)
            {
                ChainJson.WriteTransaction(w, b.Transactions[loc.Index], loc, b.Header.BaseFeePerGas);
            }
            else if (pool.Get(hash) is Transaction pending)
            {
                ChainJson.WriteTransaction(w, pending, null, null);
            }
            else
            {
                w.WriteNullValue();
            }
        });
        registry.Register("eth_getTransactionByBlockHashAndIndex", (args, w, _) =>
        {
            args.ExpectCount(2, 2);
            WriteTxAt(w, reader.Block(args.GetHash(0)), args.GetUInt64(1));
        });
        registry.Register("eth_getTransactionByBlockNumberAndIndex", (args, w, _) =>
        {
            args.ExpectCount(2, 2);
            WriteTxAt(w, reader.Block(args.GetBlock(0, BlockSelector.Latest)), args.GetUInt64(1));
        });
        registry.Register("eth_getTransactionReceipt", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            Hash256 hash = args.GetHash(0);
            if (reader.Chain.Blocks.ReadTxLocation(hash) is TxLocation loc
                && reader.Block(loc.BlockHash) is Block b
                && reader.Chain.Blocks.ReadReceipts(loc.BlockHash) is Receipt[] receipts)
            {
                ChainJson.WriteReceipt(w, b, receipts, loc.Index);
            }
            else
            {
                w.WriteNullValue();
            }
        });
        registry.Register("eth_getBlockReceipts", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            Block? b = reader.Block(args.GetBlock(0, BlockSelector.Latest));
            Receipt[]? receipts = b is null ? null : reader.Chain.Blocks.ReadReceipts(b.Hash);
            if (b is null || receipts is null)
            {
                w.WriteNullValue();
                return;
            }

            w.WriteStartArray();
            for (int i = 0; i < receipts.Length; i++)
            {
                ChainJson.WriteReceipt(w, b, receipts, i);
            }

            w.WriteEndArray();
        });
    }

    private static void WriteBlockOrNull(Utf8JsonWriter w, Block? block, bool full)
    {
        if (block is null)
        {
            w.WriteNullValue();
        }
        else
        {
            ChainJson.WriteBlock(w, block, full);
        }
    }

    private static void WriteCountOrNull(Utf8JsonWriter w, Block? block)
    {
        if (block is null)
        {
            w.WriteNullValue();
        }
        else
        {
            RpcJson.Quantity(w, (ulong)block.Transactions.Length);
        }
    }

    private static void WriteTxAt(Utf8JsonWriter w, Block? block, ulong index)
    {
        if (block is null || index >= (ulong)block.Transactions.Length)
        {
            w.WriteNullValue();
            return;
        }

        BlockHeader h = block.Header;
        ChainJson.WriteTransaction(w, block.Transactions[(int)index], new TxLocation(h.Hash, h.Number, (int)index), h.BaseFeePerGas);
    }
}
