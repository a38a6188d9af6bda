using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>The stored trie cannot answer: a node is missing or damaged. Never a wrong answer instead.</summary>
public abstract class TrieDataException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected TrieDataException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A trie node that the state refers to is not in the database (pruned, or the database is incomplete).</summary>
public sealed class TrieNodeMissingException : TrieDataException
{
    /// <summary>Creates the exception for the node <paramref name="hash"/>.</summary>
    public TrieNodeMissingException(Hash256 hash)
        : base($"trie node {hash} is missing from the database (pruned state, or an incomplete database)")
    {
        Hash = hash;
    }

    /// <summary>The hash of the missing node.</summary>
    public Hash256 Hash { get; }
}

/// <summary>Bytes stored under a trie node's hash are not that node: they hash to something else or are not a valid node.</summary>
public sealed class TrieNodeCorruptedException : TrieDataException
{
    /// <summary>Creates the exception for the node <paramref name="hash"/> with the reason.</summary>
    public TrieNodeCorruptedException(Hash256 hash, string reason, Exception? inner = null)
        : base($"trie node {hash} is corrupted: {reason}", inner)
    {
        Hash = hash;
        Reason = reason;
    }

    /// <summary>The hash under which the bad bytes were found.</summary>
    public Hash256 Hash { get; }

    /// <summary>What is wrong with the bytes.</summary>
    public string Reason { get; }
}

/// <summary>A Merkle proof that does not prove anything against the given root: malformed, incomplete or tampered.</summary>
public sealed class InvalidProofException : FormatException
{
    /// <summary>Creates the exception with the reason.</summary>
    public InvalidProofException(string reason, Exception? inner = null)
        : base($"invalid Merkle proof: {reason}", inner)
    {
    }
}
