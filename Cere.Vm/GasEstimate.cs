namespace Cere.Vm;

/// <summary>
/// The answer of <see cref="TransactionProcessor.EstimateGas"/>: the smallest gas limit with which the call
/// succeeds, or why no limit up to the allowance works.
/// </summary>
public sealed class GasEstimate
{
    /// <summary>The estimated gas limit in gas units (0 when <see cref="Failure"/> is set).</summary>
    public ulong Gas { get; init; }

    /// <summary>The run at the highest allowed limit, when it failed; null on success.</summary>
    public CallOutcome? Failure { get; init; }

    /// <summary>The highest gas limit tried (the allowance), in gas units.</summary>
    public ulong Allowance { get; init; }

    /// <summary>True when a limit was found.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>
    /// geth's error: the revert or VM error of the run at the allowance, or "gas required exceeds allowance (N)"
    /// when that run ran out of gas (or could not even pay its intrinsic gas).
    /// </summary>
    public string? Error => Failure is null
        ? null
        : Failure.Status == EvmStatus.OutOfGas ? $"gas required exceeds allowance ({Allowance})" : Failure.Error;
}
