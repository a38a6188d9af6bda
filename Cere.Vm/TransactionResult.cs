using Cere.Core;
using Cere.Core.Receipts;

namespace Cere.Vm;

/// <summary>The outcome of an executed transaction: status, gas used (after refund), output, logs and receipt.</summary>
public sealed class TransactionResult
{
    /// <summary>How the transaction's own frame ended.</summary>
    public required EvmStatus Status { get; init; }

    /// <summary>Gas charged to the sender, after the refund.</summary>
    public required long GasUsed { get; init; }

    /// <summary>Return data (or revert data).</summary>
    public required byte[] Output { get; init; }

    /// <summary>Logs (empty when the transaction failed).</summary>
    public required LogEntry[] Logs { get; init; }

    /// <summary>The created contract, for a successful creation.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>The receipt with the cumulative gas given to <see cref="TransactionProcessor.Execute"/>.</summary>
    public required Receipt Receipt { get; init; }
}
