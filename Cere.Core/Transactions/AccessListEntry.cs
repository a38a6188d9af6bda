namespace Cere.Core.Transactions;

/// <summary>One EIP-2930 access-list entry: an address and the storage keys pre-warmed for it.</summary>
public sealed class AccessListEntry : IEquatable<AccessListEntry>
{
    /// <summary>Creates an entry.</summary>
    public AccessListEntry(Address address, Hash256[] storageKeys)
    {
        Address = address;
        StorageKeys = storageKeys ?? throw new ArgumentNullException(nameof(storageKeys));
    }

    /// <summary>The address made warm.</summary>
    public Address Address { get; }

    /// <summary>The storage keys of <see cref="Address"/> made warm.</summary>
    public Hash256[] StorageKeys { get; }

    /// <inheritdoc/>
    public bool Equals(AccessListEntry? other) =>
        other is not null && Address == other.Address && StorageKeys.AsSpan().SequenceEqual(other.StorageKeys);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AccessListEntry);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, StorageKeys.Length);
}
