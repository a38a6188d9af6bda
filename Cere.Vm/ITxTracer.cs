using Cere.Core;

namespace Cere.Vm;

/// <summary>
/// Hooks the interpreter calls at each opcode, call frame and state change. Attach one with
/// <see cref="TransactionProcessor.Tracer"/>; with none attached the interpreter runs a specialised loop without the calls.
/// </summary>
public interface ITxTracer
{
    /// <summary>Before an opcode executes: program counter, opcode, gas left, call depth and the stack (top last).</summary>
    void OnOpcode(int pc, byte opcode, long gas, int depth, ReadOnlySpan<UInt256> stack);

    /// <summary>A call frame starts (kind is the opcode: CALL, CREATE … or 0 for the transaction's own frame).</summary>
    void OnEnterFrame(byte kind, Address from, Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value, int depth);

    /// <summary>A call frame ends.</summary>
    void OnExitFrame(EvmStatus status, long gasLeft, ReadOnlySpan<byte> output, int depth);

    /// <summary>A storage slot was written (SSTORE).</summary>
    void OnStorageChange(Address address, in UInt256 slot, in UInt256 value);
}
