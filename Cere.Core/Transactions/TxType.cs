namespace Cere.Core.Transactions;

/// <summary>The EIP-2718 envelope type of a transaction (blob transactions, type 3, are not carried).</summary>
public enum TxType : byte
{
    /// <summary>The original RLP list, with or without EIP-155 replay protection.</summary>
    Legacy = 0,

    /// <summary>EIP-2930: chain id and an access list.</summary>
    AccessList = 1,

    /// <summary>EIP-1559: a fee cap and a priority fee instead of a gas price.</summary>
    DynamicFee = 2,
}
