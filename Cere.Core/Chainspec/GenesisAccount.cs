namespace Cere.Core.Chainspec;

/// <summary>One pre-funded account of a genesis allocation (geth's <c>alloc</c> entry).</summary>
public sealed record GenesisAccount(UInt256 Balance, ulong Nonce, byte[] Code, IReadOnlyDictionary<UInt256, UInt256> Storage);
