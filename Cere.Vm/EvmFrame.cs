using Cere.Core;
using Cere.Vm.Interpreter;

namespace Cere.Vm;

/// <summary>One call frame: the code being run, its context (address, caller, value, input), gas, memory and return data.</summary>
internal sealed unsafe class EvmFrame
{
    // Set by the interpreter while the frame runs, pointing into arrays it has pinned for that time: the loop reads
    // them here, off its hot registers, only when it enters a block or jumps.

    /// <summary>The first stack item (the pinned stack array) while the frame runs.</summary>
    public UInt256* StackBase;

    /// <summary>The first code byte inside the pinned padded code while the frame runs.</summary>
    public byte* CodeStart;

    /// <summary>The pinned block table (<see cref="BlockCosts"/>) while the frame runs.</summary>
    public long* Blocks;

    /// <summary>The code being run, padded and analysed.</summary>
    public required CodeInfo Code { get; init; }

    /// <summary>The account whose storage and balance the code acts on (ADDRESS).</summary>
    public required Address Address { get; init; }

    /// <summary>CALLER.</summary>
    public required Address Caller { get; init; }

    /// <summary>CALLVALUE.</summary>
    public required UInt256 Value { get; init; }

    /// <summary>Call data.</summary>
    public required byte[] Input { get; init; }

    public required bool IsStatic { get; init; }

    /// <summary>Depth: 0 for the transaction's own frame.</summary>
    public required int Depth { get; init; }

    public long Gas { get; set; }

    /// <summary>The return data of the last sub-call.</summary>
    public byte[] ReturnData { get; set; } = [];

    /// <summary>The frame's output when it halts with RETURN or REVERT.</summary>
    public byte[] Output { get; set; } = [];

    public EvmMemory Memory { get; } = new();
}
