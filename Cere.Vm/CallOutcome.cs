using Cere.Core;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Vm;

/// <summary>The result of an unsigned message call: how it ended, the gas it used, its output and logs; nothing is kept.</summary>
public sealed class CallOutcome
{
    /// <summary>How the call's own frame ended.</summary>
    public required EvmStatus Status { get; init; }

    /// <summary>Gas the call would charge, after the EIP-3529 refund.</summary>
    public required long GasUsed { get; init; }

    /// <summary>The refund already taken off <see cref="GasUsed"/>.</summary>
    public required long GasRefunded { get; init; }

    /// <summary>Return data, or revert data when <see cref="Status"/> is <see cref="EvmStatus.Revert"/>.</summary>
    public required byte[] Output { get; init; }

    /// <summary>Logs the call emitted (empty when it failed).</summary>
    public required LogEntry[] Logs { get; init; }

    /// <summary>The contract a successful creation made.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>The access list of what the call touched (only when asked for; see <see cref="AccessRecorder"/>).</summary>
    public AccessListEntry[]? AccessList { get; init; }

    /// <summary>True for <see cref="EvmStatus.Success"/>.</summary>
    public bool IsSuccess => Status == EvmStatus.Success;

    /// <summary>geth's error text for a failed call ("execution reverted", "out of gas", …); null on success.</summary>
    public string? Error => Status switch
    {
        EvmStatus.Success => null,
        EvmStatus.Revert => "execution reverted",
        EvmStatus.OutOfGas => "out of gas",
        EvmStatus.InvalidOpcode => "invalid opcode",
        EvmStatus.StackUnderflow => "stack underflow",
        EvmStatus.StackOverflow => "stack limit reached 1024",
        EvmStatus.BadJumpDestination => "invalid jump destination",
        EvmStatus.StaticStateChange => "write protection",
        EvmStatus.ReturnDataOutOfBounds => "return data out of bounds",
        EvmStatus.InvalidCodePrefix => "invalid code: must not begin with 0xef",
        EvmStatus.CodeSizeExceeded => "max code size exceeded",
        EvmStatus.InitCodeSizeExceeded => "max initcode size exceeded",
        EvmStatus.PrecompileFailure => "precompiled contract failed",
        EvmStatus.ContractAddressCollision => "contract address collision",
        EvmStatus.CallDepthExceeded => "max call depth exceeded",
        EvmStatus.InsufficientBalance => "insufficient balance for transfer",
        EvmStatus.NonceOverflow => "nonce uint64 overflow",
        _ => Status.ToString(),
    };
}
