using System.Collections.Concurrent;
using Cere.Consensus.Signing;
using Cere.Core;

namespace Cere.Chain.Consensus;

/// <summary>
/// Remembers signatures found valid, so a vote checked once by the gossip validator (to reject forgeries before they
/// spread) is not recovered again by the state machine: secp256k1 recovery is the dominant cost of a vote.
/// </summary>
/// <remarks>Thread-safe. Only successes are cached (a failure is cheap to repeat and caching it would let junk fill memory).</remarks>
public sealed class CachingSignatureVerifier : ISignatureVerifier
{
    private readonly ISignatureVerifier _inner;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<(Hash256 Digest, Address Signer, Hash256 SignatureHash), byte> _valid = new();

    /// <summary>Caches up to <paramref name="capacity"/> results of <paramref name="inner"/> (then starts over).</summary>
    public CachingSignatureVerifier(ISignatureVerifier inner, int capacity = 65_536)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _inner = inner;
        _capacity = capacity;
    }

    /// <inheritdoc/>
    public bool Verify(in Hash256 digest, ReadOnlySpan<byte> signature65, in Address signer)
    {
        (Hash256, Address, Hash256) key = (digest, signer, Keccak256Of(signature65));
        if (_valid.ContainsKey(key))
        {
            return true;
        }

        if (!_inner.Verify(digest, signature65, signer))
        {
            return false;
        }

        if (_valid.Count >= _capacity)
        {
            _valid.Clear(); // old heights' votes are not asked for again; a rare full reset bounds memory simply
        }

        _valid.TryAdd(key, 0);
        return true;
    }

    private static Hash256 Keccak256Of(ReadOnlySpan<byte> data) => Core.Crypto.Keccak256.Compute(data);
}
