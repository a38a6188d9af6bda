namespace Cere.Core;

/// <summary>Hexadecimal text with an optional <c>0x</c> prefix, as JSON-RPC and the fixtures write bytes.</summary>
public static class Hex
{
    /// <summary>Encodes bytes as lower-case hex, with <c>0x</c> when <paramref name="prefix"/> is set.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        string body = Convert.ToHexStringLower(bytes);
        return prefix ? "0x" + body : body;
    }

    /// <summary>Decodes hex text (with or without <c>0x</c>; an odd digit count gets a leading zero).</summary>
    /// <exception cref="FormatException">The text holds a character that is not a hex digit.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length % 2 == 1)
        {
            // Quantities such as "0x1" are legal in JSON; pad the odd nibble on the left.
            Span<char> padded = text.Length < 512 ? stackalloc char[text.Length + 1] : new char[text.Length + 1];
            padded[0] = '0';
            text.CopyTo(padded[1..]);
            return Convert.FromHexString(padded);
        }

        return Convert.FromHexString(text);
    }
}
