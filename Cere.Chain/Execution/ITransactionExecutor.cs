using Cere.Core.Transactions;
using Cere.Storage.State;

namespace Cere.Chain.Execution;

/// <summary>
/// Runs one transaction against a state inside a block. Two implementations: the EVM's transaction processor and
/// a transfer-only executor that serves until the EVM is wired in.
/// </summary>
public interface ITransactionExecutor
{
    /// <summary>Executes <paramref name="tx"/>, leaving the state finalised for the next transaction.</summary>
    /// <param name="state">The block's state; unchanged when the transaction is rejected.</param>
    /// <param name="block">The block being built or imported.</param>
    /// <param name="tx">The transaction (its sender recovers).</param>
    /// <param name="cumulativeGasBefore">Gas used by the block's earlier transactions (for the receipt).</param>
    /// <exception cref="TransactionRejectedException">The transaction cannot be included; the state is unchanged.</exception>
    ExecutedTransaction Execute(IWorldState state, BlockContext block, Transaction tx, ulong cumulativeGasBefore);
}
