using Cere.Core;

namespace Cere.Consensus.Validators;

/// <summary>A validator: its address (the key its votes recover to) and its voting power (stake).</summary>
public readonly record struct Validator(Address Address, long Power);
