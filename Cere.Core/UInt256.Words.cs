using System.Runtime.CompilerServices;

namespace Cere.Core;

/// <summary>Fixed-size word buffers for long division, kept in locals instead of stackalloc (no localloc, no stack cookie).</summary>
public readonly partial struct UInt256
{
    /// <summary>Four 64-bit words.</summary>
    [InlineArray(4)]
    internal struct Words4
    {
        private ulong _element;
    }

    /// <summary>Eight 64-bit words: a 512-bit product.</summary>
    [InlineArray(8)]
    internal struct Words8
    {
        private ulong _element;
    }

    /// <summary>Nine 64-bit words: a normalised 512-bit dividend with its extra top word.</summary>
    [InlineArray(9)]
    internal struct Words9
    {
        private ulong _element;
    }
}
