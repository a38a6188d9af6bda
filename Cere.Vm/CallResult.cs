namespace Cere.Vm;

/// <summary>The outcome of a message call or creation: status, gas left and output (return or revert data).</summary>
public readonly record struct CallResult(EvmStatus Status, long GasLeft, byte[] Output)
{
    /// <summary>True for <see cref="EvmStatus.Success"/>.</summary>
    public bool IsSuccess => Status == EvmStatus.Success;
}
