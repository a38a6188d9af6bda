using Cere.Core;

namespace Cere.Storage.State;

/// <summary>What a journal entry undoes.</summary>
internal enum JournalKind : byte
{
    Created,
    Balance,
    Nonce,
    Code,
    Storage,
    Transient,
    Touched,
    Reset,
}

/// <summary>One undo record: the previous value of whatever changed.</summary>
internal struct JournalEntry
{
    public JournalKind Kind;
    public StateAccount? Account;
    public Address Address;
    public UInt256 Slot;
    public UInt256 Value;
    public ulong Nonce;
    public Hash256 Hash;
    public object? Previous;
}

/// <summary>An append-only undo log: a snapshot is its length, a revert pops back to it (both O(1) per entry).</summary>
internal sealed class Journal
{
    private JournalEntry[] _entries = new JournalEntry[256];
    private int _count;

    public int Count => _count;

    public void Add(in JournalEntry entry)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count++] = entry;
    }

    /// <summary>Removes and returns the last entry (its references are released).</summary>
    public JournalEntry Pop()
    {
        JournalEntry e = _entries[--_count];
        _entries[_count] = default;
        return e;
    }

    /// <summary>Drops every entry (the end of a transaction); snapshots taken before become invalid.</summary>
    public void Clear()
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
    }
}
