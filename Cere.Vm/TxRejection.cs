namespace Cere.Vm;

/// <summary>Why a transaction cannot be included (the state is left unchanged); messages match geth's.</summary>
public enum TxRejection
{
    /// <summary>Decoding or a stateless rule failed (see the message; <see cref="Core.Transactions.TxError"/> has the detail).</summary>
    Invalid,

    /// <summary>"nonce too low".</summary>
    NonceTooLow,

    /// <summary>"nonce too high".</summary>
    NonceTooHigh,

    /// <summary>"nonce has max value" (EIP-2681).</summary>
    NonceMax,

    /// <summary>"sender not an eoa" (EIP-3607).</summary>
    SenderNotEoa,

    /// <summary>"gas limit reached": the transaction's gas limit is above the block's.</summary>
    GasLimitReached,

    /// <summary>"max fee per gas less than block base fee".</summary>
    FeeCapTooLow,

    /// <summary>"insufficient funds for gas * price + value".</summary>
    InsufficientFunds,

    /// <summary>"intrinsic gas too low".</summary>
    IntrinsicGasTooLow,
}

/// <summary>A transaction rejected before execution, with the error a user sees.</summary>
public sealed class TxRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TxRejectedException(TxRejection reason, string message, Exception? inner = null)
        : base(message, inner) => Reason = reason;

    /// <summary>The rule that was broken.</summary>
    public TxRejection Reason { get; }
}
