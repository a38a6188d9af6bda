using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cere.Core.Crypto;

/// <summary>The Keccak sponge with capacity 512 bits and a 256-bit digest, shared by Keccak-256 and SHA3-256.</summary>
internal static class KeccakSponge
{
    /// <summary>Input bytes per permutation: 1600 − 2·256 bits (FIPS 202, section 6.1).</summary>
    internal const int Rate = 136;

    /// <summary>The rate in 64-bit lanes.</summary>
    internal const int RateLanes = Rate / 8;

    /// <summary>The digest length in bytes.</summary>
    internal const int DigestSize = 32;

    /// <summary>The first padding byte of original Keccak (pad10*1), which Ethereum uses.</summary>
    internal const byte KeccakPadding = 0x01;

    /// <summary>The first padding byte of SHA3 (the domain bits 01, then pad10*1; FIPS 202, section B.2).</summary>
    internal const byte Sha3Padding = 0x06;

    /// <summary>One-shot hash: absorbs <paramref name="input"/> straight from the span, then pads and squeezes 32 bytes.</summary>
    internal static void Hash(ReadOnlySpan<byte> input, Span<byte> output, byte padding)
    {
        if (output.Length < DigestSize)
        {
            throw new ArgumentException($"output must hold {DigestSize} bytes, got {output.Length}", nameof(output));
        }

        KeccakState state = default;
        while (input.Length >= Rate)
        {
            AbsorbBlock(ref state, input);
            KeccakF1600.Permute(ref state);
            input = input[Rate..];
        }

        AbsorbLast(ref state, input, padding);
        KeccakF1600.Permute(ref state);
        Squeeze(ref state, output);
    }

    /// <summary>XORs the first <see cref="Rate"/> bytes of <paramref name="block"/> into the state.</summary>
    internal static void AbsorbBlock(ref KeccakState state, ReadOnlySpan<byte> block)
    {
        ReadOnlySpan<ulong> lanes = MemoryMarshal.Cast<byte, ulong>(block[..Rate]);
        Span<ulong> s = state;
        for (int i = 0; i < RateLanes; i++)
        {
            s[i] ^= BitConverter.IsLittleEndian ? lanes[i] : BinaryPrimitives.ReverseEndianness(lanes[i]);
        }
    }

    /// <summary>
    /// XORs the final, partial block (fewer than <see cref="Rate"/> bytes) and the padding into the state. Whole
    /// lanes are read straight from the input; only the last 0 to 7 bytes are gathered into one lane.
    /// </summary>
    internal static void AbsorbLast(ref KeccakState state, ReadOnlySpan<byte> tail, byte padding)
    {
        Span<ulong> s = state;
        int whole = tail.Length >> 3;
        ReadOnlySpan<ulong> lanes = MemoryMarshal.Cast<byte, ulong>(tail[..(whole * 8)]);
        for (int i = 0; i < lanes.Length; i++)
        {
            s[i] ^= BitConverter.IsLittleEndian ? lanes[i] : BinaryPrimitives.ReverseEndianness(lanes[i]);
        }

        ReadOnlySpan<byte> rest = tail[(whole * 8)..];
        ulong last = 0;
        for (int i = 0; i < rest.Length; i++)
        {
            last |= (ulong)rest[i] << (8 * i);
        }

        // pad10*1: the padding byte right after the message, 0x80 in the last byte of the block (the two may
        // share a byte, which XOR handles).
        s[whole] ^= last | ((ulong)padding << (8 * rest.Length));
        s[RateLanes - 1] ^= 0x80UL << 56;
    }

    /// <summary>Writes the first 32 bytes of the state (lanes 0 to 3, little-endian) to <paramref name="output"/>.</summary>
    internal static void Squeeze(ref KeccakState state, Span<byte> output)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output, state[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], state[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], state[2]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], state[3]);
    }
}
