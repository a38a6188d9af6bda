using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cere.Core.Rlp;

/// <summary>Minimal big-endian bytes of 256-bit integers, limb by limb, without a 32-byte scratch buffer.</summary>
internal static class RlpBigEndian
{
    /// <summary>Reads 1..32 big-endian bytes (the caller has checked the length and the leading byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 ReadUInt256(ReadOnlySpan<byte> payload)
    {
        // Split into whole 8-byte limbs from the right and one partial limb on the left.
        int end = payload.Length;
        ulong u0 = ReadLimb(payload, ref end);
        ulong u1 = ReadLimb(payload, ref end);
        ulong u2 = ReadLimb(payload, ref end);
        ulong u3 = ReadLimb(payload, ref end);
        return new UInt256(u0, u1, u2, u3);
    }

    /// <summary>Writes the minimal big-endian bytes of <paramref name="value"/> into exactly <paramref name="destination"/> (its ByteLength).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteUInt256(Span<byte> destination, in UInt256 value)
    {
        int end = destination.Length;
        WriteLimb(destination, ref end, value.U0);
        WriteLimb(destination, ref end, value.U1);
        WriteLimb(destination, ref end, value.U2);
        WriteLimb(destination, ref end, value.U3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLimb(ReadOnlySpan<byte> payload, ref int end)
    {
        if (end >= sizeof(ulong))
        {
            end -= sizeof(ulong);
            return BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(end, sizeof(ulong)));
        }

        ulong limb = 0;
        for (int i = 0; i < end; i++)
        {
            limb = (limb << 8) | payload[i];
        }

        end = 0;
        return limb;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLimb(Span<byte> destination, ref int end, ulong limb)
    {
        if (end >= sizeof(ulong))
        {
            end -= sizeof(ulong);
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(end, sizeof(ulong)), limb);
            return;
        }

        // The top, partial limb: its high bytes are zero by the minimal-length contract.
        for (int i = end - 1; i >= 0; i--)
        {
            destination[i] = (byte)limb;
            limb >>= 8;
        }

        end = 0;
    }
}
