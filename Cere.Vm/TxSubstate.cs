using Cere.Core;
using Cere.Core.Receipts;

namespace Cere.Vm;

/// <summary>
/// The per-transaction substate beside the world state: EIP-2929 access sets, logs, the refund counter,
/// accounts to destroy and accounts created in this transaction (EIP-6780), all undone on revert.
/// </summary>
internal sealed class TxSubstate
{
    private readonly HashSet<Address> _warmAccounts = new();
    private readonly HashSet<(Address, UInt256)> _warmSlots = new();
    private readonly HashSet<Address> _created = new();
    private readonly List<(byte Kind, Address Address, UInt256 Slot)> _journal = new();

    /// <summary>Logs emitted so far (truncated on revert).</summary>
    public List<LogEntry> Logs { get; } = new();

    /// <summary>Accounts that executed SELFDESTRUCT and were created in this transaction, in order.</summary>
    public List<Address> Destructed { get; } = new();

    /// <summary>The refund counter (may go negative inside a transaction, EIP-2200).</summary>
    public long Refund { get; set; }

    /// <summary>Accounts warm now (EIP-2929; reverted frames' accesses are gone).</summary>
    public IReadOnlyCollection<Address> WarmAccounts => _warmAccounts;

    /// <summary>Storage slots warm now (EIP-2929; reverted frames' accesses are gone).</summary>
    public IReadOnlyCollection<(Address Address, UInt256 Slot)> WarmSlots => _warmSlots;

    /// <summary>
    /// When set, sees every account and slot access, including those of frames that later revert (which
    /// <see cref="WarmAccounts"/> forgets): what eth_createAccessList needs.
    /// </summary>
    public AccessRecorder? Recorder { get; set; }

    /// <summary>A snapshot of the substate.</summary>
    public (int Journal, int Logs, long Refund, int Destructed) Snapshot() => (_journal.Count, Logs.Count, Refund, Destructed.Count);

    /// <summary>Undoes everything after <paramref name="s"/>.</summary>
    public void Revert((int Journal, int Logs, long Refund, int Destructed) s)
    {
        for (int i = _journal.Count - 1; i >= s.Journal; i--)
        {
            (byte kind, Address a, UInt256 slot) = _journal[i];
            switch (kind)
            {
                case 0: _warmAccounts.Remove(a); break;
                case 1: _warmSlots.Remove((a, slot)); break;
                default: _created.Remove(a); break;
            }
        }

        _journal.RemoveRange(s.Journal, _journal.Count - s.Journal);
        Logs.RemoveRange(s.Logs, Logs.Count - s.Logs);
        Destructed.RemoveRange(s.Destructed, Destructed.Count - s.Destructed);
        Refund = s.Refund;
    }

    /// <summary>Marks an account warm; true if it was cold.</summary>
    public bool WarmAccount(in Address a)
    {
        Recorder?.Account(a);
        if (_warmAccounts.Add(a))
        {
            _journal.Add((0, a, default));
            return true;
        }

        return false;
    }

    /// <summary>True if the account is warm.</summary>
    public bool IsWarm(in Address a) => _warmAccounts.Contains(a);

    /// <summary>Marks a slot warm; true if it was cold.</summary>
    public bool WarmSlot(in Address a, in UInt256 slot)
    {
        Recorder?.Slot(a, slot);
        if (_warmSlots.Add((a, slot)))
        {
            _journal.Add((1, a, slot));
            return true;
        }

        return false;
    }

    /// <summary>Records an account created in this transaction (EIP-6780).</summary>
    public void MarkCreated(in Address a)
    {
        Recorder?.Created(a);
        if (_created.Add(a))
        {
            _journal.Add((2, a, default));
        }
    }

    /// <summary>True if the account was created in this transaction.</summary>
    public bool WasCreated(in Address a) => _created.Contains(a);
}
