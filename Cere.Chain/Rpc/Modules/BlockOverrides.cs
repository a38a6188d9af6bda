using System.Text.Json;
using Cere.Core;
using Cere.Vm;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// The block-override object of eth_call (geth's BlockOverrides): number, time, gasLimit, feeRecipient, prevRandao,
/// baseFeePerGas and blobBaseFee replace the block's own values for the call.
/// </summary>
public sealed class BlockOverrides
{
    private ulong? _number;
    private ulong? _time;
    private ulong? _gasLimit;
    private Address? _feeRecipient;
    private Hash256? _prevRandao;
    private UInt256? _baseFee;
    private UInt256? _blobBaseFee;

    /// <summary>Parses argument <paramref name="index"/> (absent or null: null).</summary>
    /// <exception cref="RpcException">A malformed field (-32602).</exception>
    public static BlockOverrides? Parse(RpcParams args, int index)
    {
        if (!args.Has(index))
        {
            return null;
        }

        JsonElement o = args[index];
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidArgument(index, "expected a block override object");
        }

        return new BlockOverrides
        {
            _number = CallRequestJson.UInt64(o, "number", index),
            _time = CallRequestJson.UInt64(o, "time", index),
            _gasLimit = CallRequestJson.UInt64(o, "gasLimit", index),
            _feeRecipient = CallRequestJson.AddressField(o, "feeRecipient", index),
            _prevRandao = CallRequestJson.Hash(o, "prevRandao", index),
            _baseFee = CallRequestJson.Quantity(o, "baseFeePerGas", index),
            _blobBaseFee = CallRequestJson.Quantity(o, "blobBaseFee", index),
        };
    }

    /// <summary><paramref name="env"/> with the overridden fields replaced.</summary>
    public BlockEnvironment ApplyTo(BlockEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return new BlockEnvironment
        {
            Coinbase = _feeRecipient ?? env.Coinbase,
            Number = _number is ulong n ? (long)Math.Min(n, long.MaxValue) : env.Number,
            Timestamp = _time ?? env.Timestamp,
            GasLimit = _gasLimit is ulong g ? (long)Math.Min(g, long.MaxValue) : env.GasLimit,
            BaseFee = _baseFee ?? env.BaseFee,
            PrevRandao = _prevRandao ?? env.PrevRandao,
            BlobBaseFee = _blobBaseFee ?? env.BlobBaseFee,
            ChainId = env.ChainId,
            BlockHashes = env.BlockHashes,
        };
    }
}
