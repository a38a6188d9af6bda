namespace Cere.Core.Chainspec;

/// <summary>A validator of the genesis set (the <c>cere.validators</c> section): its address and bonded stake in wei.</summary>
public sealed record GenesisValidator(Address Address, UInt256 Stake);
