using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Text forms of <see cref="UInt256"/>: decimal and JSON-RPC hex quantities.</summary>
public readonly partial struct UInt256
{
    // 10^19 is the largest power of ten below 2^64: decimal text is handled 19 digits per word operation.
    private const ulong TenPow19 = 10_000_000_000_000_000_000UL;

    /// <summary>Parses decimal digits, or a 0x-prefixed hex quantity (leading zeros allowed).</summary>
    /// <exception cref="ArgumentNullException">The text is null.</exception>
    /// <exception cref="FormatException">The text is empty or holds a character that is not a digit.</exception>
    /// <exception cref="OverflowException">The number is 2^256 or more.</exception>
    public static UInt256 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out UInt256 value, out string? error) switch
        {
            ParseStatus.Ok => value,
            ParseStatus.Overflow => throw new OverflowException(error),
            _ => throw new FormatException(error),
        };
    }

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out UInt256 value)
    {
        if (text is null)
        {
            value = Zero;
            return false;
        }

        return TryParseCore(text, out value, out _) == ParseStatus.Ok;
    }

    /// <summary>Parses decimal or 0x-hex text from a span (no allocation), returning false on any error.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt256 value) =>
        TryParseCore(text, out value, out _) == ParseStatus.Ok;

    private enum ParseStatus
    {
        Ok,
        Format,
        Overflow,
    }

    private static ParseStatus TryParseCore(ReadOnlySpan<char> text, out UInt256 value, out string? error)
    {
        value = Zero;
        error = null;
        if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            return TryParseHex(text[2..], out value, out error);
        }

        if (text.IsEmpty)
        {
            error = "empty text is not a number";
            return ParseStatus.Format;
        }

        UInt256 acc = Zero;
        int i = 0;
        while (i < text.Length)
        {
            int take = Math.Min(19, text.Length - i);
            ulong chunk = 0;
            ulong scale = 1;
            for (int k = 0; k < take; k++)
            {
                uint digit = (uint)(text[i + k] - '0');
                if (digit > 9)
                {
                    error = $"'{text[i + k]}' at position {i + k} is not a decimal digit";
                    return ParseStatus.Format;
                }

                chunk = (chunk * 10) + digit;
                scale *= 10;
            }

            if (MulAddWord(acc, scale, chunk, out acc) != 0)
            {
                error = "the number is 2^256 or more";
                return ParseStatus.Overflow;
            }

            i += take;
        }

        value = acc;
        return ParseStatus.Ok;
    }

    private static ParseStatus TryParseHex(ReadOnlySpan<char> digits, out UInt256 value, out string? error)
    {
        value = Zero;
        error = null;
        if (digits.IsEmpty)
        {
            error = "a hex quantity needs at least one digit after 0x";
            return ParseStatus.Format;
        }

        int start = 0;
        while (start < digits.Length - 1 && digits[start] == '0')
        {
            start++;
        }

        Span<ulong> words = stackalloc ulong[4];
        words.Clear();
        int bit = 0;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int nibble = HexValue(digits[i]);
            if (nibble < 0)
            {
                error = $"'{digits[i]}' at position {i + 2} is not a hex digit";
                return ParseStatus.Format;
            }

            if (i < start)
            {
                continue;
            }

            if (bit >= 256)
            {
                error = "the number is 2^256 or more";
                return ParseStatus.Overflow;
            }

            words[bit >> 6] |= (ulong)nibble << (bit & 63);
            bit += 4;
        }

        value = new UInt256(words[0], words[1], words[2], words[3]);
        return ParseStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(char c)
    {
        if ((uint)(c - '0') <= 9)
        {
            return c - '0';
        }

        int lower = c | 0x20;
        if ((uint)(lower - 'a') <= 5)
        {
            return lower - 'a' + 10;
        }

        return -1;
    }

    /// <summary>res = x · m + a; returns the word carried out of the top (nonzero means overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAddWord(in UInt256 x, ulong m, ulong a, out UInt256 res)
    {
        UInt128 t = ((UInt128)x.U0 * m) + a;
        ulong r0 = (ulong)t;
        t = ((UInt128)x.U1 * m) + (ulong)(t >> 64);
        ulong r1 = (ulong)t;
        t = ((UInt128)x.U2 * m) + (ulong)(t >> 64);
        ulong r2 = (ulong)t;
        t = ((UInt128)x.U3 * m) + (ulong)(t >> 64);
        res = new UInt256(r0, r1, r2, (ulong)t);
        return (ulong)(t >> 64);
    }

    /// <summary>Decimal digits, no leading zeros ("0" for zero).</summary>
    public override string ToString()
    {
        if (FitsInUInt64)
        {
            return U0.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // 2^256 has 78 decimal digits.
        Span<char> buffer = stackalloc char[80];
        int pos = buffer.Length;
        UInt256 rest = this;
        while (true)
        {
            ulong chunk = DivRemWord(rest, TenPow19, out rest);
            bool last = rest.IsZero;
            for (int k = 0; k < 19 && (!last || chunk != 0); k++)
            {
                buffer[--pos] = (char)('0' + (int)(chunk % 10));
                chunk /= 10;
            }

            if (last)
            {
                break;
            }
        }

        return new string(buffer[pos..]);
    }

    /// <summary>JSON-RPC quantity: "0x" and lower-case hex without leading zeros ("0x0" for zero).</summary>
    public string ToHexQuantity()
    {
        int nibbles = Math.Max(1, (BitLength + 3) >> 2);
        Span<char> buffer = stackalloc char[66];
        buffer[0] = '0';
        buffer[1] = 'x';
        for (int i = 0; i < nibbles; i++)
        {
            int bit = (nibbles - 1 - i) * 4;
            ulong word = bit switch
            {
                < 64 => U0,
                < 128 => U1,
                < 192 => U2,
                _ => U3,
            };
            int nibble = (int)((word >> (bit & 63)) & 0xF);
            buffer[2 + i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        return new string(buffer[..(2 + nibbles)]);
    }
}
