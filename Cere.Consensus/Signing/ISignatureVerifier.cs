using Cere.Core;

namespace Cere.Consensus.Signing;

/// <summary>Checks that a 65-byte signature of a digest was made by a given validator address.</summary>
public interface ISignatureVerifier
{
    /// <summary>True when <paramref name="signature65"/> is a valid signature of <paramref name="digest"/> by <paramref name="signer"/>.</summary>
    bool Verify(in Hash256 digest, ReadOnlySpan<byte> signature65, in Address signer);
}
