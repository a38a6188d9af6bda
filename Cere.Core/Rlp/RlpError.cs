namespace Cere.Core.Rlp;

/// <summary>Why an RLP input was rejected; carried by <see cref="RlpException"/>.</summary>
public enum RlpError
{
    /// <summary>The input ends before the item does (its prefix, its size bytes or its payload).</summary>
    Truncated,

    /// <summary>Bytes remain after the item (at top level) or after a list's last item (inside the list).</summary>
    TrailingData,

    /// <summary>A size that could have been written shorter, e.g. the long form for a payload under 56 bytes.</summary>
    NonCanonicalSize,

    /// <summary>The big-endian size of a long string or list starts with a zero byte.</summary>
    LeadingZeroInSize,

    /// <summary>A single byte below 0x80 wrapped as a one-byte string (0x81 0x00..0x7f); it must stand alone.</summary>
    SingleByteNotCanonical,

    /// <summary>An integer with a leading zero byte (zero itself must be the empty string 0x80).</summary>
    LeadingZeroInInteger,

    /// <summary>A list where a string (byte array, integer, address, hash) was expected.</summary>
    ExpectedString,

    /// <summary>A string where a list was expected.</summary>
    ExpectedList,

    /// <summary>An integer longer than the type it is read into (8 bytes for ulong, 32 for UInt256, 1 for byte).</summary>
    IntegerTooLarge,

    /// <summary>A fixed-size value of the wrong length, e.g. an address that is not 20 bytes.</summary>
    UnexpectedLength,

    /// <summary>A declared size that does not fit in an <see cref="int"/> (so it cannot fit in any input we hold).</summary>
    SizeOverflow,

    /// <summary>An item runs past the end of the list that contains it (the list's declared size is too short for its items).</summary>
    ItemPastListEnd,

    /// <summary>Lists nested deeper than the generic decoder accepts (<see cref="RlpItem.MaxDepth"/>).</summary>
    NestingTooDeep,
}
