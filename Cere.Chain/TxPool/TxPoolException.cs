namespace Cere.Chain.TxPool;

/// <summary>A transaction the pool refuses; the message is geth's wording, which clients match on.</summary>
public sealed class TxPoolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TxPoolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
