namespace Cere.Chain.Consensus;

/// <summary>A fault consensus cannot continue from: a decided block this node cannot execute or commit (its state differs from the quorum's).</summary>
public sealed class ConsensusFaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsensusFaultException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
