namespace Cere.Vm.Native;

/// <summary>
/// A native contract at a reserved address: the VM dispatches a CALL to it instead of running EVM code.
/// It charges its own gas from <see cref="NativeCallContext.Gas"/>, may read and write the journaled state and
/// emit logs, and its failure (a non-success status) reverts its state changes like any contract's.
/// </summary>
public interface INativeModule
{
    /// <summary>Handles one call. Return data and gas left go back to the caller.</summary>
    CallResult Call(NativeCallContext context);
}
