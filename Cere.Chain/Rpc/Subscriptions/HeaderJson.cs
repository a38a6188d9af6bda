using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Cere.Chain.Rpc.Modules;
using Cere.Core.Blocks;

namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>A block header in the shape of geth's newHeads notification (the block object without transactions, uncles or size).</summary>
public static class HeaderJson
{
    /// <summary>The header as UTF-8 JSON.</summary>
    public static byte[] Serialize(BlockHeader h)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter w = new(buffer))
        {
            w.WriteStartObject();
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
            BinaryPrimitives.WriteUInt64BigEndian(nonce, h.Nonce);
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
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
