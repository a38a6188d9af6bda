namespace Cere.Chain.Blocks;

/// <summary>A block that breaks a validity rule; nothing of it was written.</summary>
public sealed class InvalidBlockException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidBlockException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
