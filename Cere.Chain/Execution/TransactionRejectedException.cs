namespace Cere.Chain.Execution;

/// <summary>A transaction that cannot be included in a block; the message is the one clients know (geth's wording).</summary>
public sealed class TransactionRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransactionRejectedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
