using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>Blocks, transactions, receipts and logs in the JSON shapes geth returns (which ethers.js and viem parse).</summary>
public static class ChainJson
{
    /// <summary>
    /// Every header field in the execution-apis shape, including the hash and the Shanghai/Cancun fields when present:
    /// the common part of a block object and a newHeads notification.
    /// </summary>
    public static void WriteHeaderFields(Utf8JsonWriter w, BlockHeader h)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(h);
        RpcJson.Hash(w, "parentHash", h.ParentHash);
        RpcJson.Hash(w, "sha3Uncles", h.OmmersHash);
        RpcJson.Address(w, "miner", h.Beneficiary);
        RpcJson.Hash(w, "stateRoot", h.StateRoot);
        RpcJson.Hash(w, "transactionsRoot", h.TransactionsRoot);
        RpcJson.Hash(w, "receiptsRoot", h.ReceiptsRoot);
        RpcJson.Data(w, "logsBloom", h.LogsBloom.Bytes);
        RpcJson.Quantity(w, "difficulty", h.Difficulty);
        RpcJson.Quantity(w, "number", h.Number);
        RpcJson.Quantity(w, "gasLimit", h.GasLimit);
        RpcJson.Quantity(w, "gasUsed", h.GasUsed);
        RpcJson.Quantity(w, "timestamp", h.Timestamp);
        RpcJson.Data(w, "extraData", h.ExtraData);
        RpcJson.Hash(w, "mixHash", h.MixHash);
        Span<byte> nonce = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, h.Nonce);
        RpcJson.Data(w, "nonce", nonce);
        if (h.BaseFeePerGas is { } fee)
        {
            RpcJson.Quantity(w, "baseFeePerGas", fee);
        }

        if (h.WithdrawalsRoot is { } withdrawals)
        {
            RpcJson.Hash(w, "withdrawalsRoot", withdrawals);
        }

        if (h.BlobGasUsed is ulong blobGas)
        {
            RpcJson.Quantity(w, "blobGasUsed", blobGas);
        }

        if (h.ExcessBlobGas is ulong excess)
        {
            RpcJson.Quantity(w, "excessBlobGas", excess);
        }

        if (h.ParentBeaconBlockRoot is { } beacon)
        {
            RpcJson.Hash(w, "parentBeaconBlockRoot", beacon);
        }

        RpcJson.Hash(w, "hash", h.Hash);
    }

    /// <summary>A block object; transactions as hashes or, with <paramref name="fullTransactions"/>, as objects.</summary>
    public static void WriteBlock(Utf8JsonWriter w, Block block, bool fullTransactions)
    {
        BlockHeader h = block.Header;
        w.WriteStartObject();
        WriteHeaderFields(w, h);
        RpcJson.Quantity(w, "size", (ulong)BlockCodec.EncodedLength(block));
        w.WritePropertyName("transactions");
        w.WriteStartArray();
        for (int i = 0; i < block.Transactions.Length; i++)
        {
            if (fullTransactions)
            {
                WriteTransaction(w, block.Transactions[i], new TxLocation(h.Hash, h.Number, i), h.BaseFeePerGas);
            }
            else
            {
                w.WriteStringValue(Hex.Encode(block.Transactions[i].Hash.Bytes));
            }
        }

        w.WriteEndArray();
        w.WritePropertyName("uncles");
        w.WriteStartArray();
        w.WriteEndArray();
        if (block.Withdrawals is { } withdrawals)
        {
            // EIP-4895 / execution-apis Withdrawal object: every number a hex quantity, the amount in Gwei.
            w.WritePropertyName("withdrawals");
            w.WriteStartArray();
            foreach (Withdrawal wd in withdrawals)
            {
                w.WriteStartObject();
                RpcJson.Quantity(w, "index", wd.Index);
                RpcJson.Quantity(w, "validatorIndex", wd.ValidatorIndex);
                RpcJson.Address(w, "address", wd.Address);
                RpcJson.Quantity(w, "amount", wd.AmountInGwei);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>A transaction object; <paramref name="location"/> null for a pool transaction.</summary>
    public static void WriteTransaction(Utf8JsonWriter w, Transaction tx, TxLocation? location, UInt256? baseFee)
    {
        w.WriteStartObject();
        if (location is TxLocation loc)
        {
            RpcJson.Hash(w, "blockHash", loc.BlockHash);
            RpcJson.Quantity(w, "blockNumber", loc.BlockNumber);
        }
        else
        {
            w.WriteNull("blockHash");
            w.WriteNull("blockNumber");
        }

        RpcJson.Address(w, "from", tx.Sender ?? Address.Zero);
        RpcJson.Quantity(w, "gas", tx.GasLimit);

        // In a block, gasPrice is the effective price (EIP-1559: base fee + tip); in the pool, the fee cap.
        RpcJson.Quantity(w, "gasPrice", location is not null && baseFee is UInt256 bf ? EffectiveGasPrice(tx, bf) : tx.MaxFeePerGas);
        if (tx.Type == TxType.DynamicFee)
        {
            RpcJson.Quantity(w, "maxFeePerGas", tx.MaxFeePerGas);
            RpcJson.Quantity(w, "maxPriorityFeePerGas", tx.MaxPriorityFeePerGas);
        }

        RpcJson.Hash(w, "hash", tx.Hash);
        RpcJson.Data(w, "input", tx.Data);
        RpcJson.Quantity(w, "nonce", tx.Nonce);
        if (tx.To is Address to)
        {
            RpcJson.Address(w, "to", to);
        }
        else
        {
            w.WriteNull("to");
        }

        if (location is TxLocation l)
        {
            RpcJson.Quantity(w, "transactionIndex", (ulong)l.Index);
        }
        else
        {
            w.WriteNull("transactionIndex");
        }

        RpcJson.Quantity(w, "value", tx.Value);
        RpcJson.Quantity(w, "type", (ulong)tx.Type);
        if (tx.Type != TxType.Legacy)
        {
            w.WritePropertyName("accessList");
            w.WriteStartArray();
            foreach (AccessListEntry e in tx.AccessList)
            {
                w.WriteStartObject();
                RpcJson.Address(w, "address", e.Address);
                w.WritePropertyName("storageKeys");
                w.WriteStartArray();
                foreach (Hash256 k in e.StorageKeys)
                {
                    w.WriteStringValue(Hex.Encode(k.Bytes));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (tx.ChainId is ulong chainId)
        {
            RpcJson.Quantity(w, "chainId", chainId);
        }

        RpcJson.Quantity(w, "v", tx.V);
        RpcJson.Quantity(w, "r", tx.Signature.R);
        RpcJson.Quantity(w, "s", tx.Signature.S);
        if (tx.Type != TxType.Legacy)
        {
            RpcJson.Quantity(w, "yParity", tx.Signature.RecoveryId);
        }

        w.WriteEndObject();
    }

    /// <summary>A receipt object for transaction <paramref name="index"/> of <paramref name="block"/>.</summary>
    public static void WriteReceipt(Utf8JsonWriter w, Block block, Receipt[] receipts, int index)
    {
        Transaction tx = block.Transactions[index];
        Receipt r = receipts[index];
        BlockHeader h = block.Header;
        ulong before = index == 0 ? 0 : receipts[index - 1].CumulativeGasUsed;
        int logIndex = 0;
        for (int i = 0; i < index; i++)
        {
            logIndex += receipts[i].Logs.Length;
        }

        w.WriteStartObject();
        RpcJson.Hash(w, "blockHash", h.Hash);
        RpcJson.Quantity(w, "blockNumber", h.Number);
        Address from = tx.Sender ?? Address.Zero;
        if (tx.To is null)
        {
            RpcJson.Address(w, "contractAddress", ContractAddress.From(from, tx.Nonce));
        }
        else
        {
            w.WriteNull("contractAddress");
        }

        RpcJson.Quantity(w, "cumulativeGasUsed", r.CumulativeGasUsed);
        RpcJson.Quantity(w, "effectiveGasPrice", EffectiveGasPrice(tx, h.BaseFeePerGas ?? UInt256.Zero));
        RpcJson.Address(w, "from", from);
        RpcJson.Quantity(w, "gasUsed", r.CumulativeGasUsed - before);
        w.WritePropertyName("logs");
        w.WriteStartArray();
        foreach (LogEntry log in r.Logs)
        {
            WriteLog(w, log, h, tx.Hash, index, logIndex++);
        }

        w.WriteEndArray();
        RpcJson.Data(w, "logsBloom", r.Bloom.Bytes);
        RpcJson.Quantity(w, "status", r.Success ? 1UL : 0UL);
        if (tx.To is Address to)
        {
            RpcJson.Address(w, "to", to);
        }
        else
        {
            w.WriteNull("to");
        }

        RpcJson.Hash(w, "transactionHash", tx.Hash);
        RpcJson.Quantity(w, "transactionIndex", (ulong)index);
        RpcJson.Quantity(w, "type", (ulong)tx.Type);
        w.WriteEndObject();
    }

    /// <summary>A log object.</summary>
    public static void WriteLog(Utf8JsonWriter w, LogEntry log, BlockHeader h, in Hash256 txHash, int txIndex, int logIndex)
    {
        w.WriteStartObject();
        RpcJson.Address(w, "address", log.Address);
        w.WritePropertyName("topics");
        w.WriteStartArray();
        foreach (Hash256 t in log.Topics)
        {
            w.WriteStringValue(Hex.Encode(t.Bytes));
        }

        w.WriteEndArray();
        RpcJson.Data(w, "data", log.Data);
        RpcJson.Quantity(w, "blockNumber", h.Number);
        RpcJson.Hash(w, "transactionHash", txHash);
        RpcJson.Quantity(w, "transactionIndex", (ulong)txIndex);
        RpcJson.Hash(w, "blockHash", h.Hash);
        RpcJson.Quantity(w, "logIndex", (ulong)logIndex);
        w.WriteBoolean("removed", false);
        w.WriteEndObject();
    }

    /// <summary>EIP-1559 effective gas price: base fee + min(tip cap, fee cap − base fee).</summary>
    public static UInt256 EffectiveGasPrice(Transaction tx, in UInt256 baseFee) => baseFee + BlockBuilder.EffectiveTip(tx, baseFee);
}
