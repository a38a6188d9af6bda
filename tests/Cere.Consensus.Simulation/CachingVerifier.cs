using Cere.Consensus.Signing;
using Cere.Core;

namespace Cere.Consensus.Simulation;

/// <summary>Verifies each distinct (digest, signer, signature) once with the real secp256k1 verifier and remembers the answer; every simulated node shares it.</summary>
public sealed class CachingVerifier : ISignatureVerifier
{
    private readonly ISignatureVerifier _inner;
    private readonly Dictionary<(Hash256 Digest, Address Signer), List<(byte[] Signature, bool Valid)>> _cache = [];

    /// <summary>A cache in front of <paramref name="inner"/>.</summary>
    public CachingVerifier(ISignatureVerifier inner) => _inner = inner;

    /// <summary>Real verifications done.</summary>
    public int Verifications { get; private set; }

    /// <inheritdoc/>
    public bool Verify(in Hash256 digest, ReadOnlySpan<byte> signature65, in Address signer)
    {
        if (!_cache.TryGetValue((digest, signer), out List<(byte[] Signature, bool Valid)>? entries))
        {
            entries = [];
            _cache.Add((digest, signer), entries);
        }

        foreach ((byte[] sig, bool valid) in entries)
        {
            if (signature65.SequenceEqual(sig))
            {
                return valid;
            }
        }

        Verifications++;
        bool result = _inner.Verify(digest, signature65, signer);
        entries.Add((signature65.ToArray(), result));
        return result;
    }
}
