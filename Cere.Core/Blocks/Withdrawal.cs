namespace Cere.Core.Blocks;

/// <summary>An EIP-4895 withdrawal (parsed so that Shanghai-and-later fixtures and tools work; Cere blocks carry none).</summary>
public sealed record Withdrawal(ulong Index, ulong ValidatorIndex, Address Address, ulong AmountInGwei);
