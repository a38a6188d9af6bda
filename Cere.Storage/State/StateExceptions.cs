using Cere.Core;
using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>A value in the state (an account record, a storage value, contract code) is missing or not what its hash says.</summary>
public sealed class StateDataCorruptedException : TrieDataException
{
    /// <summary>Creates the exception for the item identified by <paramref name="hash"/>.</summary>
    public StateDataCorruptedException(Hash256 hash, string reason, Exception? inner = null)
        : base($"state data {hash} is unusable: {reason}", inner)
    {
        Hash = hash;
    }

    /// <summary>The key hash or code hash of the bad item.</summary>
    public Hash256 Hash { get; }
}
