using Cere.Core;

namespace Cere.Consensus.Signing;

/// <summary>Signs consensus digests with a validator's key (the node's key, a remote signer, or a test key).</summary>
public interface IConsensusSigner
{
    /// <summary>The validator address the signatures recover to.</summary>
    Address Address { get; }

    /// <summary>Writes a 65-byte recoverable signature r ‖ s ‖ v (v = recovery id 0 or 1) of <paramref name="digest"/>.</summary>
    void Sign(in Hash256 digest, Span<byte> signature65);
}
