using Cere.Core.Rlp;

namespace Cere.Core.Transactions;

/// <summary>A transaction failed to decode or failed a stateless check; <see cref="Error"/> says which rule.</summary>
public sealed class TransactionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransactionException(TxError error, string message, string? field = null, RlpError? rlpError = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Field = field;
        RlpError = rlpError;
    }

    /// <summary>The rule that was broken.</summary>
    public TxError Error { get; }

    /// <summary>The field at fault (e.g. "nonce", "gasLimit", "to"), when one is.</summary>
    public string? Field { get; }

    /// <summary>The underlying RLP error, for <see cref="TxError.MalformedRlp"/> and <see cref="TxError.FieldOverflow"/>.</summary>
    public RlpError? RlpError { get; }
}
