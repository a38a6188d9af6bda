using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Vm;

/// <summary>
/// An unsigned message call (eth_call, eth_estimateGas, eth_createAccessList): the fields of a transaction without
/// a signature or nonce, most of them optional as ethereum/execution-apis GenericTransaction has them.
/// </summary>
public sealed class CallRequest
{
    /// <summary>The sender (geth's default: the zero address).</summary>
    public Address From { get; init; }

    /// <summary>The recipient; null creates a contract from <see cref="Data"/>.</summary>
    public Address? To { get; init; }

    /// <summary>The gas limit in gas units; null: the block gas limit.</summary>
    public ulong? Gas { get; init; }

    /// <summary>Legacy gas price in wei (exclusive with the EIP-1559 fields).</summary>
    public UInt256? GasPrice { get; init; }

    /// <summary>EIP-1559 fee cap in wei per gas.</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 priority fee cap in wei per gas.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public UInt256 Value { get; init; }

    /// <summary>Call data, or init code for a creation.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>EIP-2930 accounts and slots to warm before execution (charged as intrinsic gas).</summary>
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>True when no fee field is set or all are zero: geth then runs with gas price 0 and base fee 0 (NoBaseFee).</summary>
    public bool HasNoFees =>
        (GasPrice is null || GasPrice.Value.IsZero)
        && (MaxFeePerGas is null || MaxFeePerGas.Value.IsZero)
        && (MaxPriorityFeePerGas is null || MaxPriorityFeePerGas.Value.IsZero);

    /// <summary>The fee cap the balance must cover per unit of gas: max fee, else gas price, else 0.</summary>
    public UInt256 FeeCap => MaxFeePerGas ?? GasPrice ?? UInt256.Zero;

    /// <summary>A copy with another gas limit (gas estimation runs the same call at many limits).</summary>
    public CallRequest WithGas(ulong gas) => new()
    {
        From = From,
        To = To,
        Gas = gas,
        GasPrice = GasPrice,
        MaxFeePerGas = MaxFeePerGas,
        MaxPriorityFeePerGas = MaxPriorityFeePerGas,
        Value = Value,
        Data = Data,
        AccessList = AccessList,
    };

    /// <summary>A copy with another access list (eth_createAccessList iterates on it).</summary>
    public CallRequest WithAccessList(IReadOnlyList<AccessListEntry> accessList) => new()
    {
        From = From,
        To = To,
        Gas = Gas,
        GasPrice = GasPrice,
        MaxFeePerGas = MaxFeePerGas,
        MaxPriorityFeePerGas = MaxPriorityFeePerGas,
        Value = Value,
        Data = Data,
        AccessList = accessList,
    };
}
