namespace Cere.Consensus.Machine;

/// <summary>
/// Deliberate rule breaks, used only by the tests that prove the simulation harness catches a broken algorithm.
/// The default value is the correct algorithm; production code never sets anything else.
/// </summary>
internal readonly record struct MachineVariant(bool IgnoreLock = false, bool CountByHead = false, bool AcceptTwoThirdsInclusive = false)
{
    public static MachineVariant Correct => default;
}
