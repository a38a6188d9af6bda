namespace Cere.Core.Transactions;

/// <summary>Why a transaction was rejected before execution (decoding and stateless checks).</summary>
public enum TxError
{
    /// <summary>The bytes are not valid RLP, or a field has the wrong RLP shape (a list where a string belongs, leading zeros, …).</summary>
    MalformedRlp,

    /// <summary>The first byte is neither a list prefix (legacy) nor a supported type (1 or 2).</summary>
    TypeNotSupported,

    /// <summary>An integer field is larger than its type allows (nonce and gas above 64 bits, values above 256 bits).</summary>
    FieldOverflow,

    /// <summary>The recipient is not 20 bytes.</summary>
    InvalidAddressLength,

    /// <summary>An access-list address is not 20 bytes or a storage key is not 32 bytes.</summary>
    InvalidAccessList,

    /// <summary>EIP-2681: the nonce is 2^64 - 1 or more.</summary>
    NonceTooBig,

    /// <summary>The signature's v (or the typed chain id) names another chain, or v is not a value any scheme allows.</summary>
    InvalidChainId,

    /// <summary>r or s is zero or not below the curve order, s is in the upper half (EIP-2), or y-parity is not 0 or 1.</summary>
    InvalidSignature,

    /// <summary>No public key recovers from the signature.</summary>
    RecoveryFailed,

    /// <summary>The gas limit does not cover the intrinsic gas (base, data, creation, access list, EIP-3860 init-code words).</summary>
    IntrinsicGasTooLow,

    /// <summary>gas limit × max fee per gas (or gas price) does not fit in 256 bits.</summary>
    GasLimitPriceProductOverflow,

    /// <summary>EIP-1559: the priority fee is above the fee cap.</summary>
    PriorityFeeGreaterThanMaxFee,

    /// <summary>EIP-3860: creation code longer than 49,152 bytes.</summary>
    InitCodeSizeExceeded,
}
