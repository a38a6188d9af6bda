namespace Cere.Chain.ValidatorKeys;

/// <summary>The double-sign guard file cannot be trusted (corrupted, unreadable, or in use by another process); the validator must not start.</summary>
public sealed class DoubleSignGuardException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DoubleSignGuardException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
