namespace Cere.Core.Transactions;

/// <summary>
/// The checks a transaction must pass before it can enter a pool or a block, without looking at state:
/// chain id, signature rules, fee fields, nonce bound, init-code size and intrinsic gas.
/// </summary>
public static class TransactionValidator
{
    /// <summary>Validates <paramref name="tx"/> for the chain <paramref name="chainId"/> and returns its sender.</summary>
    /// <param name="tx">The decoded transaction.</param>
    /// <param name="chainId">The chain the transaction must be for.</param>
    /// <param name="allowUnprotected">Whether legacy transactions without EIP-155 replay protection are accepted.</param>
    /// <exception cref="TransactionException">The first rule broken, in the order the checks run.</exception>
    public static Address Validate(Transaction tx, ulong chainId, bool allowUnprotected = true)
    {
        ArgumentNullException.ThrowIfNull(tx);

        // EIP-2681: the nonce stays below 2^64 - 1 so that it can always be incremented.
        if (tx.Nonce == ulong.MaxValue)
        {
            throw new TransactionException(TxError.NonceTooBig, "nonce must be below 2^64 - 1 (EIP-2681)", "nonce");
        }

        if (tx.ChainId is ulong txChain)
        {
            if (txChain != chainId)
            {
                throw new TransactionException(TxError.InvalidChainId, $"invalid chain id: transaction is for chain {txChain}, this chain is {chainId}", "chainId");
            }
        }
        else if (!allowUnprotected)
        {
            throw new TransactionException(TxError.InvalidChainId, "only replay-protected (EIP-155) transactions are allowed", "v");
        }

        // EIP-2 (Homestead): 0 < r, s < n and s ≤ n/2.
        if (!tx.Signature.HasValidRange || !tx.Signature.IsLowS)
        {
            throw new TransactionException(TxError.InvalidSignature, "invalid signature: r and s must be in [1, n) and s in the lower half (EIP-2)", "s");
        }

        if (tx.Type == TxType.DynamicFee && tx.MaxPriorityFeePerGas > tx.MaxFeePerGas)
        {
            throw new TransactionException(TxError.PriorityFeeGreaterThanMaxFee, "max priority fee per gas higher than max fee per gas", "maxPriorityFeePerGas");
        }

        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.MaxFeePerGas, out _))
        {
            throw new TransactionException(TxError.GasLimitPriceProductOverflow, "gas limit × max fee per gas overflows 256 bits", "gasLimit");
        }

        if (tx.IsContractCreation && tx.Data.Length > IntrinsicGas.MaxInitCodeSize)
        {
            throw new TransactionException(TxError.InitCodeSizeExceeded, $"max initcode size exceeded: {tx.Data.Length} > {IntrinsicGas.MaxInitCodeSize} (EIP-3860)", "data");
        }

        ulong intrinsic = IntrinsicGas.Of(tx);
        if (tx.GasLimit < intrinsic)
        {
            throw new TransactionException(TxError.IntrinsicGasTooLow, $"intrinsic gas too low: have {tx.GasLimit}, want {intrinsic}", "gasLimit");
        }

        return tx.Sender ?? throw new TransactionException(TxError.RecoveryFailed, "invalid signature: no public key recovers from it", "s");
    }
}
