using Cere.Core;
using Cere.Core.Receipts;
using Cere.Storage.State;

namespace Cere.Vm.Native;

/// <summary>What a native module sees of a call: the journaled state, its own address, msg.sender, msg.value, input and gas.</summary>
public sealed class NativeCallContext
{
    private readonly List<LogEntry> _logs;

    internal NativeCallContext(IWorldState state, List<LogEntry> logs, Address self, Address caller, UInt256 value, byte[] input, long gas, bool isStatic)
    {
        State = state;
        _logs = logs;
        Self = self;
        Caller = caller;
        Value = value;
        Input = input;
        Gas = gas;
        IsStatic = isStatic;
    }

    /// <summary>The world state (writes are undone if the call, or a caller above it, reverts).</summary>
    public IWorldState State { get; }

    /// <summary>The module's own address.</summary>
    public Address Self { get; }

    /// <summary>msg.sender.</summary>
    public Address Caller { get; }

    /// <summary>msg.value (already credited to <see cref="Self"/>).</summary>
    public UInt256 Value { get; }

    /// <summary>The call data (ABI-encoded for Solidity callers).</summary>
    public byte[] Input { get; }

    /// <summary>The gas given to the call.</summary>
    public long Gas { get; }

    /// <summary>True inside a STATICCALL: the module must not write state or emit logs.</summary>
    public bool IsStatic { get; }

    /// <summary>Emits a log from the module's address (dropped if the call reverts).</summary>
    public void EmitLog(Hash256[] topics, byte[] data) => _logs.Add(new LogEntry(Self, topics, data));
}
