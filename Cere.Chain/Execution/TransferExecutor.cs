using Cere.Core;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Execution;

/// <summary>
/// Executes plain value transfers between accounts without code (no EVM): nonce, balance and fee rules as in
/// Ethereum, gas used = intrinsic gas. Contract creation and calls to code are rejected. Stands in until the EVM's
/// transaction processor is wired in behind <see cref="ITransactionExecutor"/>.
/// </summary>
public sealed class TransferExecutor : ITransactionExecutor
{
    /// <inheritdoc/>
    public ExecutedTransaction Execute(IWorldState state, BlockContext block, Transaction tx, ulong cumulativeGasBefore)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tx);
        Address sender;
        try
        {
            sender = TransactionValidator.Validate(tx, block.ChainId);
        }
        catch (TransactionException e)
        {
            throw new TransactionRejectedException(e.Message, e);
        }

        ulong nonce = state.GetNonce(sender);
        if (tx.Nonce < nonce)
        {
            throw new TransactionRejectedException($"nonce too low: address {sender}, tx: {tx.Nonce} state: {nonce}");
        }

        if (tx.Nonce > nonce)
        {
            throw new TransactionRejectedException($"nonce too high: address {sender}, tx: {tx.Nonce} state: {nonce}");
        }

        // EIP-3607: a sender with deployed code cannot originate transactions.
        Hash256 senderCode = state.GetCodeHash(sender);
        if (!senderCode.IsZero && senderCode != Hash256.EmptyKeccak)
        {
            throw new TransactionRejectedException($"sender not an eoa: address {sender}, codehash: {senderCode}");
        }

        if (tx.To is not Address to)
        {
            throw new TransactionRejectedException("contract creation needs the EVM, which this node does not run yet");
        }

        Hash256 toCode = state.GetCodeHash(to);
        if (!toCode.IsZero && toCode != Hash256.EmptyKeccak)
        {
            throw new TransactionRejectedException($"calls to contract {to} need the EVM, which this node does not run yet");
        }

        if (tx.GasLimit > block.GasLimit)
        {
            throw new TransactionRejectedException($"gas limit reached: tx gas {tx.GasLimit} above block gas limit {block.GasLimit}");
        }

        // EIP-1559: the fee cap must cover the base fee; the tip is what is left, up to the priority cap.
        if (tx.MaxFeePerGas < block.BaseFee)
        {
            throw new TransactionRejectedException($"max fee per gas less than block base fee: address {sender}, maxFeePerGas: {tx.MaxFeePerGas}, baseFee: {block.BaseFee}");
        }

        UInt256 tip = tx.MaxFeePerGas - block.BaseFee;
        if (tx.MaxPriorityFeePerGas < tip)
        {
            tip = tx.MaxPriorityFeePerGas;
        }

        UInt256 price = block.BaseFee + tip;
        UInt256 balance = state.GetBalance(sender);
        UInt256 need = new UInt256(tx.GasLimit) * tx.MaxFeePerGas + tx.Value;
        if (balance < need)
        {
            throw new TransactionRejectedException($"insufficient funds for gas * price + value: address {sender} have {balance} want {need}");
        }

        ulong gasUsed = IntrinsicGas.Of(tx);
        state.SubtractBalance(sender, new UInt256(gasUsed) * price + tx.Value);
        state.IncrementNonce(sender);
        state.AddBalance(to, tx.Value);

        // EIP-1559: the base fee is burnt; the coinbase gets the tip (and is touched even for zero, as geth does).
        state.AddBalance(block.Coinbase, new UInt256(gasUsed) * tip);
        state.Touch(block.Coinbase);
        state.Touch(to);
        state.FinalizeTransaction();

        Receipt receipt = new(tx.Type, true, cumulativeGasBefore + gasUsed, []);
        return new ExecutedTransaction(receipt, gasUsed, [], null);
    }
}
