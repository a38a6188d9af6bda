using System.Text;
using Cere.Core.Crypto;

namespace Cere.Chain.ValidatorKeys;

/// <summary>Keystore and password files on disk: a new keystore is written owner-only and never over an existing file.</summary>
public static class KeystoreFile
{
    /// <summary>Reads and decrypts the keystore at <paramref name="path"/>.</summary>
    /// <exception cref="KeystoreException">The file is not a keystore, or the password is wrong.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PrivateKey Read(string path, string password) => Keystore.Decrypt(File.ReadAllText(path, Encoding.UTF8), password);

    /// <summary>
    /// Writes <paramref name="json"/> to <paramref name="path"/>, which must not exist: first to a temporary file with
    /// mode 0600 (the key is encrypted, but its owner alone should be able to try passwords on it), fsynced, then moved
    /// into place and the directory fsynced, so a crash leaves no half-written keystore.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> exists, or the write fails.</exception>
    public static void WriteNew(string path, string json)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new IOException($"{full} already exists; a keystore is never overwritten (move it away first)");
        }

        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        FileStreamOptions options = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (FileStream s = new(temp, options))
            {
                s.Write(Encoding.UTF8.GetBytes(json));
                s.Flush(flushToDisk: true);
            }

            // overwrite: false fails if another writer created the file since the check above.
            File.Move(temp, full, overwrite: false);
            DirectorySync.Flush(Path.GetDirectoryName(full)!);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Reads a password file: its whole content, less trailing line breaks (so <c>echo secret &gt; file</c> works);
    /// other whitespace is part of the password.
    /// </summary>
    public static string ReadPassword(string path) => File.ReadAllText(path, Encoding.UTF8).TrimEnd('\r', '\n');
}
