namespace Cere.Chain.ValidatorKeys;

/// <summary>A keystore file could not be read or decrypted; <see cref="Error"/> says why, the message says what to do.</summary>
public sealed class KeystoreException : Exception
{
    /// <summary>geth's message for a MAC mismatch, kept word for word so operators recognise it.</summary>
    public const string WrongPasswordMessage = "could not decrypt key with given password";

    /// <summary>Creates the exception.</summary>
    public KeystoreException(KeystoreError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The kind of failure.</summary>
    public KeystoreError Error { get; }
}
