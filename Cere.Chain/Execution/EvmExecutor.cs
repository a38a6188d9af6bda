using Cere.Core.Transactions;
using Cere.Storage.State;
using Cere.Vm;

namespace Cere.Chain.Execution;

/// <summary>
/// Executes transactions with the EVM (<see cref="TransactionProcessor"/>, Cancun rules). Runs on a big-stack thread:
/// callers that execute many transactions wrap the whole block in <see cref="RunOnEvmThread{T}"/>; otherwise each
/// transaction gets one.
/// </summary>
public sealed class EvmExecutor : ITransactionExecutor
{
    /// <summary>Runs <paramref name="work"/> on a thread whose stack holds 1024 nested call frames (inline if already on one).</summary>
    public static T RunOnEvmThread<T>(Func<T> work) => EvmThread.Run(work);

    /// <inheritdoc/>
    public ExecutedTransaction Execute(IWorldState state, BlockContext block, Transaction tx, ulong cumulativeGasBefore)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tx);
        return RunOnEvmThread(() => ExecuteHere(state, block, tx, cumulativeGasBefore));
    }

    private static ExecutedTransaction ExecuteHere(IWorldState state, BlockContext block, Transaction tx, ulong cumulativeGasBefore)
    {
        BlockEnvironment env = block.ToEnvironment();
        TransactionProcessor processor = new(state, env);
        try
        {
            TransactionResult r = processor.Execute(tx, cumulativeGasBefore);
            return new ExecutedTransaction(r.Receipt, (ulong)r.GasUsed, r.Output, r.ContractAddress);
        }
        catch (TxRejectedException e)
        {
            throw new TransactionRejectedException(e.Message, e);
        }
    }
}
