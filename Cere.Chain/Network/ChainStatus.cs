using System.Buffers.Binary;
using Cere.Core;

namespace Cere.Chain.Network;

/// <summary>
/// What a peer says about its chain in answer to a status request: chain id and genesis block (so a node of another
/// chain is recognised before any block is fetched) and its head (how far there is to sync).
/// </summary>
/// <param name="ChainId">The EIP-155 chain id.</param>
/// <param name="Genesis">Block 0's hash.</param>
/// <param name="HeadNumber">The peer's head height.</param>
/// <param name="HeadHash">The peer's head hash.</param>
public readonly record struct ChainStatus(ulong ChainId, Hash256 Genesis, ulong HeadNumber, Hash256 HeadHash)
{
    /// <summary>The encoded size: chain id (8) ‖ genesis (32) ‖ head number (8) ‖ head hash (32), integers big-endian.</summary>
    public const int Size = 8 + Hash256.Size + 8 + Hash256.Size;

    /// <summary>The 80-byte encoding.</summary>
    public byte[] Encode()
    {
        byte[] b = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(b, ChainId);
        Genesis.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(40), HeadNumber);
        HeadHash.CopyTo(b.AsSpan(48));
        return b;
    }

    /// <summary>Decodes <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">Not exactly <see cref="Size"/> bytes.</exception>
    public static ChainStatus Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length != Size)
        {
            throw new InvalidDataException($"a chain status is {Size} bytes, got {data.Length}");
        }

        return new ChainStatus(
            BinaryPrimitives.ReadUInt64BigEndian(data),
            new Hash256(data.Slice(8, Hash256.Size)),
            BinaryPrimitives.ReadUInt64BigEndian(data[40..]),
            new Hash256(data.Slice(48, Hash256.Size)));
    }
}
