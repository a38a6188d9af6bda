using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Signing;

/// <summary>Signs consensus digests with a secp256k1 private key (RFC 6979 nonce, low s).</summary>
public sealed class Secp256k1ConsensusSigner : IConsensusSigner
{
    private readonly PrivateKey _key;

    /// <summary>A signer over <paramref name="key"/>.</summary>
    public Secp256k1ConsensusSigner(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <inheritdoc/>
    public Address Address => _key.Address;

    /// <inheritdoc/>
    public void Sign(in Hash256 digest, Span<byte> signature65) => _key.Sign(digest).WriteCompact(signature65);
}
