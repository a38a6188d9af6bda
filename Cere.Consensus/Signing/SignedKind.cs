namespace Cere.Consensus.Signing;

/// <summary>What a consensus signature signs: part of the domain-separated digest, so no signature is valid as another kind.</summary>
public enum SignedKind : byte
{
    /// <summary>A block proposal.</summary>
    Proposal = 1,

    /// <summary>A prevote.</summary>
    Prevote = 2,

    /// <summary>A precommit.</summary>
    Precommit = 3,
}
