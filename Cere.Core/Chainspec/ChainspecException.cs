namespace Cere.Core.Chainspec;

/// <summary>A genesis or chain-spec file is malformed; the message names the field.</summary>
public sealed class ChainspecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChainspecException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
