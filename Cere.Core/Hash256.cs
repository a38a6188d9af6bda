using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cere.Core;

/// <summary>A 32-byte hash (Keccak-256 of something: a block, a transaction, a trie node, code).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    /// <summary>The length in bytes.</summary>
    public const int Size = 32;

    // Four words in memory order: the bytes are exactly the hash's bytes, so Bytes is a view, not a copy.
    private readonly ulong _u0, _u1, _u2, _u3;

    /// <summary>The all-zero hash.</summary>
    public static readonly Hash256 Zero;

    /// <summary>Keccak-256 of the empty string: the code hash of an account without code.</summary>
    public static readonly Hash256 EmptyKeccak = Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

    /// <summary>Keccak-256 of RLP("") (0x80): the root of an empty trie.</summary>
    public static readonly Hash256 EmptyTrieRoot = Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

    /// <summary>Keccak-256 of RLP([]) (0xc0): the ommers hash of a block without ommers.</summary>
    public static readonly Hash256 EmptyListHash = Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    /// <summary>Copies a hash from exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a hash is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        this = MemoryMarshal.Read<Hash256>(bytes);
    }

    /// <summary>The 32 bytes, as a view of this value.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _u0)), Size);

    /// <summary>True for the all-zero hash.</summary>
    public bool IsZero => (_u0 | _u1 | _u2 | _u3) == 0;

    /// <summary>Copies the bytes into <paramref name="destination"/> (at least 32 bytes).</summary>
    public void CopyTo(Span<byte> destination) => MemoryMarshal.Write(destination, in this);

    /// <summary>A new array with the bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Parses 64 hex digits, with or without <c>0x</c>.</summary>
    /// <exception cref="FormatException">Not 64 hex digits.</exception>
    public static Hash256 Parse(string hex)
    {
        byte[] b = Hex.Decode(hex);
        if (b.Length != Size)
        {
            throw new FormatException($"a hash is {Size} bytes ({Size * 2} hex digits), got {b.Length}");
        }

        return new Hash256(b);
    }

    /// <inheritdoc/>
    public bool Equals(Hash256 other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2 && _u3 == other._u3;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash256 h && Equals(h);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_u0 ^ (int)(_u0 >> 32);

    /// <summary>Orders hashes as big-endian numbers (byte by byte).</summary>
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>0x-prefixed lower-case hex.</summary>
    public override string ToString() => Hex.Encode(Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;
}
