using Cere.Core.Crypto;

namespace Cere.Core.Transactions;

/// <summary>Signs transactions with a private key (the dev chain, tests and tools sign with it).</summary>
public static class TransactionSigner
{
    /// <summary>
    /// Returns a signed copy of <paramref name="unsigned"/>. A legacy transaction with a chain id gets an
    /// EIP-155 v; without one, v is 27/28. The sender is cached on the result.
    /// </summary>
    public static Transaction Sign(Transaction unsigned, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(unsigned);
        ArgumentNullException.ThrowIfNull(key);
        if (unsigned.Type != TxType.Legacy && unsigned.ChainId is null)
        {
            throw new ArgumentException("a typed transaction needs a chain id", nameof(unsigned));
        }

        EcdsaSignature sig = key.Sign(unsigned.ComputeSigningHash());
        UInt256 v = unsigned.Type switch
        {
            TxType.Legacy when unsigned.ChainId is ulong chainId => new UInt256(chainId) * 2 + 35 + (ulong)sig.RecoveryId,
            TxType.Legacy => new UInt256(27UL + sig.RecoveryId),
            _ => new UInt256(sig.RecoveryId),
        };
        Transaction signed = new()
        {
            Type = unsigned.Type,
            ChainId = unsigned.ChainId,
            Nonce = unsigned.Nonce,
            GasPrice = unsigned.GasPrice,
            MaxPriorityFeePerGas = unsigned.MaxPriorityFeePerGas,
            MaxFeePerGas = unsigned.MaxFeePerGas,
            GasLimit = unsigned.GasLimit,
            To = unsigned.To,
            Value = unsigned.Value,
            Data = unsigned.Data,
            AccessList = unsigned.AccessList,
            Signature = sig,
            V = v,
        };
        signed.SetSender(key.Address);
        return signed;
    }
}
