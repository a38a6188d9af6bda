using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core.Crypto;

namespace Cere.Core;

/// <summary>A 20-byte account address: the last 20 bytes of Keccak-256 of the uncompressed public key.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>The length in bytes.</summary>
    public const int Size = 20;

    private readonly ulong _u0, _u1;
    private readonly uint _u2;

    /// <summary>The zero address.</summary>
    public static readonly Address Zero;

    /// <summary>Copies an address from exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 20 bytes long.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an address is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        this = MemoryMarshal.Read<Address>(bytes);
    }

    /// <summary>The 20 bytes, as a view of this value.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _u0)), Size);

    /// <summary>True for the zero address.</summary>
    public bool IsZero => (_u0 | _u1 | _u2) == 0;

    /// <summary>Copies the bytes into <paramref name="destination"/> (at least 20 bytes).</summary>
    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>A new array with the bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>The address of an uncompressed public key (64 bytes X‖Y, without the 0x04 prefix).</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey64)
    {
        if (publicKey64.Length != 64)
        {
            throw new ArgumentException($"an uncompressed public key without prefix is 64 bytes, got {publicKey64.Length}", nameof(publicKey64));
        }

        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(publicKey64, h);
        return new Address(h[12..]);
    }

    /// <summary>Parses 40 hex digits with or without <c>0x</c>. Mixed case must be a valid EIP-55 checksum.</summary>
    /// <exception cref="FormatException">Not 40 hex digits, or a mixed-case text with a wrong checksum.</exception>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out Address a, out string? error))
        {
            throw new FormatException(error);
        }

        return a;
    }

    /// <summary>Parses like <see cref="Parse"/> and says why when it fails.</summary>
    public static bool TryParse(string? text, out Address address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (text is null)
        {
            error = "address is null";
            return false;
        }

        ReadOnlySpan<char> body = text.AsSpan();
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            body = body[2..];
        }

        if (body.Length != Size * 2)
        {
            error = $"an address is 40 hex digits, got {body.Length}";
            return false;
        }

        Span<byte> raw = stackalloc byte[Size];
        if (Convert.FromHexString(body, raw, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = "an address holds only hex digits";
            return false;
        }

        address = new Address(raw);
        bool hasUpper = false, hasLower = false;
        foreach (char c in body)
        {
            hasUpper |= c is >= 'A' and <= 'F';
            hasLower |= c is >= 'a' and <= 'f';
        }

        // EIP-55: all-lower or all-upper carries no checksum; mixed case must match it exactly.
        if (hasUpper && hasLower && !body.SequenceEqual(address.ToChecksumString().AsSpan(2)))
        {
            error = "address has an invalid EIP-55 checksum";
            address = default;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The EIP-55 mixed-case checksum form, with <c>0x</c>.</summary>
    public string ToChecksumString()
    {
        Span<char> lower = stackalloc char[Size * 2];
        Convert.TryToHexStringLower(Bytes, lower, out _);
        Span<byte> ascii = stackalloc byte[Size * 2];
        for (int i = 0; i < ascii.Length; i++)
        {
            ascii[i] = (byte)lower[i];
        }

        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(ascii, hash);
        return string.Create(Size * 2 + 2, (lower.ToString(), hash.ToArray()), static (dst, s) =>
        {
            dst[0] = '0';
            dst[1] = 'x';
            for (int i = 0; i < s.Item1.Length; i++)
            {
                char c = s.Item1[i];
                int nibble = (i & 1) == 0 ? s.Item2[i >> 1] >> 4 : s.Item2[i >> 1] & 0xF;
                dst[i + 2] = c >= 'a' && nibble >= 8 ? (char)(c - 32) : c;
            }
        });
    }

    /// <inheritdoc/>
    public bool Equals(Address other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Address a && Equals(a);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_u0 ^ (int)(_u0 >> 32) ^ (int)_u2;

    /// <summary>Orders addresses as big-endian numbers.</summary>
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>0x-prefixed lower-case hex (use <see cref="ToChecksumString"/> for display to people).</summary>
    public override string ToString() => Hex.Encode(Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;
}
