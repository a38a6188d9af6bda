namespace Cere.Storage.Db;

/// <summary>The database could not be opened or used (a locked, missing or damaged database directory).</summary>
public sealed class StorageException : IOException
{
    /// <summary>Creates the exception with what went wrong and the underlying error.</summary>
    public StorageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
