using Cere.Core;

namespace Cere.Vm.StateTests;

/// <summary>One post-state entry of a GeneralStateTests fixture for one fork: the transaction bytes and the expected results.</summary>
public sealed class StateTestCase
{
    /// <summary>The fixture file (as given to the loader).</summary>
    public required string File { get; init; }

    /// <summary>The test name inside the file.</summary>
    public required string Name { get; init; }

    /// <summary>The fork of the entry (e.g. "Cancun").</summary>
    public required string Fork { get; init; }

    /// <summary>The entry's position in the fork's list.</summary>
    public required int Index { get; init; }

    /// <summary>The data, gas and value indexes.</summary>
    public required (int Data, int Gas, int Value) Indexes { get; init; }

    /// <summary>The pre-state and environment, shared by all entries of the test.</summary>
    public required StateTestPre Pre { get; init; }

    /// <summary>The signed transaction bytes.</summary>
    public required byte[] TxBytes { get; init; }

    /// <summary>The expected post-state root.</summary>
    public required Hash256 ExpectedRoot { get; init; }

    /// <summary>The expected Keccak of the RLP list of logs.</summary>
    public required Hash256 ExpectedLogs { get; init; }

    /// <summary>The exception the entry expects (the transaction must be rejected), or null.</summary>
    public string? ExpectException { get; init; }

    /// <summary>A stable name: "file name [dN gN vN]".</summary>
    public string DisplayName => $"{File} {Name} [d{Indexes.Data} g{Indexes.Gas} v{Indexes.Value}]" + (Index > 0 ? $" #{Index}" : "");
}

/// <summary>A test's pre-state accounts and block environment.</summary>
public sealed class StateTestPre
{
    /// <summary>The accounts: address, balance, nonce, code, storage.</summary>
    public required List<(Address Address, UInt256 Balance, ulong Nonce, byte[] Code, List<(UInt256 Slot, UInt256 Value)> Storage)> Accounts { get; init; }

    /// <summary>The block environment.</summary>
    public required BlockEnvironment Block { get; init; }
}

/// <summary>The result of running one entry.</summary>
public sealed record StateTestOutcome(bool Pass, Hash256 StateRoot, Hash256 LogsHash, string? Error);
