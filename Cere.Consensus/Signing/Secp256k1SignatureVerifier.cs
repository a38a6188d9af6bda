using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Signing;

/// <summary>Verifies a consensus signature by recovering its signer's address with secp256k1 and comparing it with the expected validator.</summary>
public sealed class Secp256k1SignatureVerifier : ISignatureVerifier
{
    /// <summary>The shared instance (the verifier has no state).</summary>
    public static readonly Secp256k1SignatureVerifier Instance = new();

    /// <inheritdoc/>
    public bool Verify(in Hash256 digest, ReadOnlySpan<byte> signature65, in Address signer)
    {
        if (signature65.Length != EcdsaSignature.CompactSize)
        {
            return false;
        }

        EcdsaSignature sig = EcdsaSignature.FromCompact(signature65);

        // Only low s and recovery id 0/1 (EIP-2): otherwise (r, n − s) would be a second valid encoding of one vote,
        // and duplicate detection would see two different messages.
        if (sig.RecoveryId > 1 || !sig.HasValidRange || !sig.IsLowS)
        {
            return false;
        }

        return EcRecover.TryRecoverAddress(digest, sig, out Address recovered) && recovered == signer;
    }
}
