using System.Buffers.Binary;
using Cere.Consensus.Signing;
using Cere.Consensus.Wal;

namespace Cere.Chain.ValidatorKeys;

/// <summary>
/// The last (height, round, step) this validator signed, kept in a small file of the data directory, so that no restart,
/// crash or WAL loss can make it sign twice at one position, the double sign that gets a validator slashed.
/// </summary>
/// <remarks>
/// <para>A signature may be released only after <see cref="TryAuthorize"/> returned true: the new position is on disk
/// before that (temporary file, fsync, atomic rename, directory fsync), so a crash at any instant leaves the old position
/// or the new one, and either way nothing signed is below it. CometBFT's priv_validator_state.json plays the same part.</para>
/// <para>The file is a fixed 22-byte record with a CRC: "CDSG", format 1, height (u64), round (i32), step (u8),
/// CRC-32 of the 18 bytes before it, big-endian. A file that fails any check stops the node: resetting it silently
/// would re-open every position the validator already signed.</para>
/// <para>While open, the guard holds an exclusive lock on a lock file beside it, so a second process on the same data
/// directory cannot sign with the same key.</para>
/// </remarks>
public sealed class DoubleSignGuard : IDisposable
{
    /// <summary>The guard file's name inside the data directory.</summary>
    public const string FileName = "double-sign-guard";

    private const int RecordSize = 22;
    private const byte FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CDSG"u8;

    private readonly string _path;
    private readonly string _tempPath;
    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private bool _disposed;

    private DoubleSignGuard(string directory, FileStream lockFile, SignPosition? last)
    {
        _directory = directory;
        _path = Path.Combine(directory, FileName);
        _tempPath = _path + ".tmp";
        _lock = lockFile;
        LastSigned = last;
    }

    /// <summary>The last position authorized, or null if this validator has never signed from this data directory.</summary>
    public SignPosition? LastSigned { get; private set; }

    /// <summary>The guard file's full path.</summary>
    public string FilePath => _path;

    /// <summary>Test hook: called at each stage of a write; throwing from it stands for a crash at that instant.</summary>
    internal Action<GuardWriteStage>? StageReached { get; set; }

    /// <summary>
    /// Opens the guard of <paramref name="dataDirectory"/> (created if missing). A missing guard file means nothing was
    /// signed yet; a temporary file left by a crash before its rename is discarded (the position it held was never
    /// authorized).
    /// </summary>
    /// <exception cref="DoubleSignGuardException">The guard file is corrupted or unreadable, or another process holds the guard.</exception>
    public static DoubleSignGuard Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        string dir = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, FileName);
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix: a second node on this directory fails here.
            lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DoubleSignGuardException($"the double-sign guard {path} is in use by another process (is a second node running on this data directory?)", e);
        }

        try
        {
            SignPosition? last = File.Exists(path) ? ReadRecord(path) : null;
            string temp = path + ".tmp";
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            return new DoubleSignGuard(dir, lockFile, last);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DoubleSignGuardException)
        {
            lockFile.Dispose();
            if (e is DoubleSignGuardException)
            {
                throw;
            }

            throw new DoubleSignGuardException($"the double-sign guard {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Authorizes a signature at (<paramref name="height"/>, <paramref name="round"/>, <paramref name="step"/>) if it is
    /// strictly after the last one, and makes it durable before returning true. Anything at or below the last position,
    /// the identical one included, is refused with false and changes nothing.
    /// </summary>
    /// <exception cref="IOException">The new position could not be made durable: the signature must not be released.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative round or an undefined step.</exception>
    public bool TryAuthorize(ulong height, int round, SignedKind step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        if (step is not (SignedKind.Proposal or SignedKind.Prevote or SignedKind.Precommit))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "a signed step is Proposal, Prevote or Precommit");
        }

        SignPosition next = new(height, round, step);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (LastSigned is { } last && next <= last)
            {
                return false;
            }

            Persist(next);
            LastSigned = next;
            return true;
        }
    }

    /// <summary>Releases the lock file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _lock.Dispose();
            }
        }
    }

    /// <summary>The 22-byte record of <paramref name="position"/>.</summary>
    internal static byte[] Encode(SignPosition position)
    {
        byte[] r = new byte[RecordSize];
        Magic.CopyTo(r);
        r[4] = FormatVersion;
        BinaryPrimitives.WriteUInt64BigEndian(r.AsSpan(5), position.Height);
        BinaryPrimitives.WriteInt32BigEndian(r.AsSpan(13), position.Round);
        r[17] = (byte)position.Step;
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(18), Crc32.Compute(r.AsSpan(0, 18)));
        return r;
    }

    private void Persist(SignPosition next)
    {
        byte[] record = Encode(next);
        using (FileStream s = new(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            s.Write(record);
            s.Flush(flushToDisk: true);
        }

        StageReached?.Invoke(GuardWriteStage.TempWritten);

        // rename(2) replaces the old file atomically: readers see the old record or the new one, never a mix.
        File.Move(_tempPath, _path, overwrite: true);
        StageReached?.Invoke(GuardWriteStage.Renamed);

        // Without this a power loss could undo the rename after the signature went out.
        DirectorySync.Flush(_directory);
        StageReached?.Invoke(GuardWriteStage.DirectorySynced);
    }

    private static SignPosition ReadRecord(string path)
    {
        byte[] r = File.ReadAllBytes(path);
        string refuse = $"refusing to start: restore the file from a backup, or, only if you are sure this validator has signed nothing at or above the height you resume from, delete {path} by hand";
        if (r.Length != RecordSize)
        {
            throw new DoubleSignGuardException($"the double-sign guard {path} is corrupted: {r.Length} bytes, expected {RecordSize}; {refuse}");
        }

        if (!r.AsSpan(0, 4).SequenceEqual(Magic) || r[4] != FormatVersion)
        {
            throw new DoubleSignGuardException($"the double-sign guard {path} is corrupted or of an unknown format (bad header); {refuse}");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(r.AsSpan(18)) != Crc32.Compute(r.AsSpan(0, 18)))
        {
            throw new DoubleSignGuardException($"the double-sign guard {path} is corrupted: checksum mismatch; {refuse}");
        }

        int round = BinaryPrimitives.ReadInt32BigEndian(r.AsSpan(13));
        SignedKind step = (SignedKind)r[17];
        if (round < 0 || step is not (SignedKind.Proposal or SignedKind.Prevote or SignedKind.Precommit))
        {
            throw new DoubleSignGuardException($"the double-sign guard {path} is corrupted: round {round}, step {r[17]}; {refuse}");
        }

        return new SignPosition(BinaryPrimitives.ReadUInt64BigEndian(r.AsSpan(5)), round, step);
    }
}

/// <summary>The stages of a guard write, for crash tests.</summary>
internal enum GuardWriteStage
{
    /// <summary>The temporary file holds the new record and is fsynced; the guard file still holds the old one.</summary>
    TempWritten,

    /// <summary>The rename is done; the guard file holds the new record.</summary>
    Renamed,

    /// <summary>The directory is fsynced; the write is complete.</summary>
    DirectorySynced,
}
