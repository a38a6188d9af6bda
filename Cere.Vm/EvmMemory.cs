using System.Buffers;
using Cere.Core;

namespace Cere.Vm;

/// <summary>A call frame's byte-addressed memory: a pooled buffer grown in 32-byte words with the quadratic cost.</summary>
internal sealed class EvmMemory
{
    // Far above anything gas can pay for (the cost at this size exceeds 2^63); keeps all arithmetic in range.
    private const ulong MaxBytes = 0x1_0000_0000UL;

    private byte[] _buffer = [];

    /// <summary>The active size in bytes (a multiple of 32).</summary>
    public ulong Size { get; private set; }

    /// <summary>The memory as a span (the active part).</summary>
    public Span<byte> Span => _buffer.AsSpan(0, (int)Size);

    /// <summary>Cost in gas of memory of <paramref name="words"/> 32-byte words: 3·w + w²/512.</summary>
    public static long Cost(ulong words) => (long)(words * 3 + words * words / 512);

    /// <summary>
    /// Charges for and performs expansion to cover [offset, offset+length); false when out of gas
    /// (or the range is absurd). A zero length never expands.
    /// </summary>
    public bool Expand(ref long gas, in UInt256 offset, in UInt256 length)
    {
        if (length.IsZero)
        {
            return true;
        }

        if (!offset.FitsInUInt64 || !length.FitsInUInt64 || offset.U0 > MaxBytes || length.U0 > MaxBytes)
        {
            return false;
        }

        return Expand(ref gas, offset.U0 + length.U0);
    }

    /// <summary>Charges for and performs expansion to cover [0, end).</summary>
    public bool Expand(ref long gas, ulong end)
    {
        if (end <= Size)
        {
            return true;
        }

        if (end > MaxBytes)
        {
            return false;
        }

        ulong newWords = (end + 31) / 32;
        long cost = Cost(newWords) - Cost(Size / 32);
        gas -= cost;
        if (gas < 0)
        {
            return false;
        }

        ulong newSize = newWords * 32;
        if (newSize > (ulong)_buffer.Length)
        {
            byte[] next = ArrayPool<byte>.Shared.Rent((int)Math.Max(newSize, (ulong)_buffer.Length * 2));
            _buffer.AsSpan(0, (int)Size).CopyTo(next);
            next.AsSpan((int)Size).Clear();
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = next;
        }

        Size = newSize;
        return true;
    }

    /// <summary>A slice of memory (already expanded by the caller).</summary>
    public Span<byte> Slice(ulong offset, ulong length) => length == 0 ? Span<byte>.Empty : _buffer.AsSpan((int)offset, (int)length);

    /// <summary>Copies <paramref name="source"/> to memory at <paramref name="offset"/>, zero-filling up to <paramref name="length"/>.</summary>
    public void WritePadded(ulong offset, ulong length, ReadOnlySpan<byte> source)
    {
        if (length == 0)
        {
            return;
        }

        Span<byte> dst = _buffer.AsSpan((int)offset, (int)length);
        int n = Math.Min(source.Length, dst.Length);
        source[..n].CopyTo(dst);
        dst[n..].Clear();
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        Size = 0;
    }
}
