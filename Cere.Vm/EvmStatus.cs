namespace Cere.Vm;

/// <summary>How a call frame ended: success, revert, or one of the exceptional halts (which consume all gas).</summary>
public enum EvmStatus
{
    /// <summary>STOP, RETURN, SELFDESTRUCT or the end of the code.</summary>
    Success,

    /// <summary>REVERT: state undone, remaining gas returned, output kept as return data.</summary>
    Revert,

    /// <summary>Not enough gas for an instruction, memory expansion or code deposit.</summary>
    OutOfGas,

    /// <summary>An undefined opcode or INVALID (0xFE).</summary>
    InvalidOpcode,

    /// <summary>An instruction needed more stack items than there were.</summary>
    StackUnderflow,

    /// <summary>The stack would exceed 1024 items.</summary>
    StackOverflow,

    /// <summary>JUMP or JUMPI to a position that is not a JUMPDEST.</summary>
    BadJumpDestination,

    /// <summary>A state change inside a STATICCALL.</summary>
    StaticStateChange,

    /// <summary>RETURNDATACOPY past the end of the return data.</summary>
    ReturnDataOutOfBounds,

    /// <summary>EIP-3541: deployed code starting with 0xEF.</summary>
    InvalidCodePrefix,

    /// <summary>EIP-170: deployed code longer than 24,576 bytes.</summary>
    CodeSizeExceeded,

    /// <summary>EIP-3860: CREATE/CREATE2 init code longer than 49,152 bytes.</summary>
    InitCodeSizeExceeded,

    /// <summary>A precompile rejected its input (e.g. a point not on the curve).</summary>
    PrecompileFailure,

    /// <summary>CREATE/CREATE2 target already has code or a nonce.</summary>
    ContractAddressCollision,

    /// <summary>A sub-call or creation beyond depth 1024 (fails without consuming the gas).</summary>
    CallDepthExceeded,

    /// <summary>The caller cannot afford the value (fails without consuming the gas).</summary>
    InsufficientBalance,

    /// <summary>The creator's nonce is at its maximum (EIP-2681; fails without consuming the gas).</summary>
    NonceOverflow,
}
