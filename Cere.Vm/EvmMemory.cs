using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;

namespace Cere.Vm;

/// <summary>A call frame's byte-addressed memory: a pooled buffer grown in 32-byte words with the quadratic cost.</summary>
internal sealed class EvmMemory
{
    /// <summary>Far above anything gas can pay for (the cost at this size exceeds 2^63); keeps all arithmetic in range.</summary>
    public const ulong MaxBytes = 0x1_0000_0000UL;

    private byte[] _buffer = [];

    /// <summary>The active size in bytes (a multiple of 32).</summary>
    public ulong Size { get; private set; }

    /// <summary>The memory as a span (the active part).</summary>
    public Span<byte> Span => _buffer.AsSpan(0, (int)Size);

    /// <summary>Cost in gas of memory of <paramref name="words"/> 32-byte words: 3·w + w²/512.</summary>
    public static long Cost(ulong words) => (long)(words * 3 + words * words / 512);

    /// <summary>
    /// Charges for and performs expansion to cover [offset, offset+length); returns the gas left, negative when out
    /// of gas (or the range is absurd). A zero length never expands.
    /// </summary>
    public long Expand(long gas, in UInt256 offset, in UInt256 length)
    {
        if (length.IsZero)
        {
            return gas;
        }

        if (!offset.FitsInUInt64 || !length.FitsInUInt64 || offset.U0 > MaxBytes || length.U0 > MaxBytes)
        {
            return -1;
        }

        return Expand(gas, offset.U0 + length.U0);
    }

    /// <summary>True when [offset, offset+length) is already inside memory (no charge due); length is small.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Covers(in UInt256 offset, ulong length) =>
        (offset.U1 | offset.U2 | offset.U3) == 0 && offset.U0 <= MaxBytes && offset.U0 + length <= Size;

    /// <summary>Charges for and performs expansion to cover [0, end); returns the gas left, negative when out of gas.</summary>
    public long Expand(long gas, ulong end)
    {
        if (end <= Size)
        {
            return gas;
        }

        if (end > MaxBytes)
        {
            return -1;
        }

        ulong newWords = (end + 31) / 32;
        gas -= Cost(newWords) - Cost(Size / 32);
        if (gas < 0)
        {
            return gas;
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
        return gas;
    }

    /// <summary>The 32-byte big-endian word at <paramref name="offset"/> (already expanded by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256 ReadWord(ulong offset)
    {
        // The caller checked offset + 32 <= Size <= _buffer.Length, so the slice bounds check cannot fail.
        ref byte p = ref MemoryMarshal.GetReference(_buffer.AsSpan((int)offset, 32));
        return new UInt256(
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 24))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 16))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 8))),
            BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref p)));
    }

    /// <summary>Writes <paramref name="value"/> big-endian at <paramref name="offset"/> (already expanded by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWord(ulong offset, in UInt256 value)
    {
        ref byte p = ref MemoryMarshal.GetReference(_buffer.AsSpan((int)offset, 32));
        Unsafe.WriteUnaligned(ref p, BinaryPrimitives.ReverseEndianness(value.U3));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 8), BinaryPrimitives.ReverseEndianness(value.U2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 16), BinaryPrimitives.ReverseEndianness(value.U1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 24), BinaryPrimitives.ReverseEndianness(value.U0));
    }

    /// <summary>Writes one byte at <paramref name="offset"/> (already expanded by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(ulong offset, byte value) => _buffer[(int)offset] = value;

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
