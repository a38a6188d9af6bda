using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Vm;

/// <summary>
/// Collects every account and slot a call touches, reverted frames included, into an EIP-2930 access list the way
/// geth's access-list tracer does: addresses in the exclusion set (sender, recipient, precompiles) are left out
/// unless storage of theirs was touched; slots are always kept.
/// </summary>
public sealed class AccessRecorder
{
    private readonly Dictionary<Address, HashSet<UInt256>> _entries = new();
    private readonly HashSet<Address> _excluded;
    private readonly HashSet<Address> _created = new();

    /// <summary>Starts from <paramref name="seed"/> (minus excluded addresses without keys), leaving out <paramref name="excluded"/>.</summary>
    public AccessRecorder(IReadOnlyList<AccessListEntry> seed, HashSet<Address> excluded)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _excluded = excluded ?? throw new ArgumentNullException(nameof(excluded));
        for (int i = 0; i < seed.Count; i++)
        {
            AccessListEntry e = seed[i];
            Account(e.Address);
            foreach (Hash256 k in e.StorageKeys)
            {
                Slot(e.Address, new UInt256(k.Bytes));
            }
        }
    }

    /// <summary>An account was accessed (BALANCE, EXT*, CALL*, SELFDESTRUCT, CREATE target).</summary>
    public void Account(in Address a)
    {
        if (!_excluded.Contains(a))
        {
            _ = Slots(a);
        }
    }

    /// <summary>A storage slot was accessed (SLOAD, SSTORE).</summary>
    public void Slot(in Address a, in UInt256 slot) => Slots(a).Add(slot);

    /// <summary>
    /// An account was created in the call: listing it only costs gas (EIP-2929 warms it on creation), so it stays
    /// out unless its storage was touched.
    /// </summary>
    public void Created(in Address a) => _created.Add(a);

    /// <summary>The access list so far, addresses and keys in ascending order (deterministic output).</summary>
    public AccessListEntry[] ToAccessList()
    {
        List<AccessListEntry> list = new(_entries.Count);
        Span<byte> word = stackalloc byte[32];
        foreach (KeyValuePair<Address, HashSet<UInt256>> e in _entries)
        {
            if (e.Value.Count == 0 && _created.Contains(e.Key))
            {
                continue;
            }

            UInt256[] slots = new UInt256[e.Value.Count];
            e.Value.CopyTo(slots);
            Array.Sort(slots);
            Hash256[] keys = new Hash256[slots.Length];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i].WriteBigEndian(word);
                keys[i] = new Hash256(word);
            }

            list.Add(new AccessListEntry(e.Key, keys));
        }

        list.Sort(static (x, y) => x.Address.CompareTo(y.Address));
        return list.ToArray();
    }

    private HashSet<UInt256> Slots(in Address a)
    {
        if (!_entries.TryGetValue(a, out HashSet<UInt256>? slots))
        {
            slots = new HashSet<UInt256>();
            _entries[a] = slots;
        }

        return slots;
    }
}
