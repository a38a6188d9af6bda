using System.Buffers.Binary;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Core.Rlp;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Core.Blocks;

/// <summary>RLP of block headers: the fifteen pre-London fields, then each fork's additions in order when present.</summary>
public static class BlockHeaderCodec
{
    /// <summary>The header's RLP (the hash covers exactly these bytes).</summary>
    public static byte[] Encode(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        byte[] result = new byte[EncodedLength(header)];
        RlpWriter w = new(result);
        Write(ref w, header);
        w.EnsureFilled();
        return result;
    }

    /// <summary>The encoded length of the header.</summary>
    public static int EncodedLength(BlockHeader header) => RlpLength.LengthOfList(PayloadLength(header));

    /// <summary>Writes the header's RLP.</summary>
    public static void Write(ref RlpWriter w, BlockHeader h)
    {
        ArgumentNullException.ThrowIfNull(h);
        CheckOptionalFieldOrder(h);
        w.WriteListHeader(PayloadLength(h));
        w.WriteHash256(h.ParentHash);
        w.WriteHash256(h.OmmersHash);
        w.WriteAddress(h.Beneficiary);
        w.WriteHash256(h.StateRoot);
        w.WriteHash256(h.TransactionsRoot);
        w.WriteHash256(h.ReceiptsRoot);
        w.WriteBytes(h.LogsBloom.Bytes);
        w.WriteUInt256(h.Difficulty);
        w.WriteUInt64(h.Number);
        w.WriteUInt64(h.GasLimit);
        w.WriteUInt64(h.GasUsed);
        w.WriteUInt64(h.Timestamp);
        w.WriteBytes(h.ExtraData);
        w.WriteHash256(h.MixHash);
        Span<byte> nonce = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, h.Nonce);
        w.WriteBytes(nonce);
        if (h.BaseFeePerGas is UInt256 baseFee)
        {
            w.WriteUInt256(baseFee);
        }

        if (h.WithdrawalsRoot is Hash256 wr)
        {
            w.WriteHash256(wr);
        }

        if (h.BlobGasUsed is ulong bgu)
        {
            w.WriteUInt64(bgu);
        }

        if (h.ExcessBlobGas is ulong ebg)
        {
            w.WriteUInt64(ebg);
        }

        if (h.ParentBeaconBlockRoot is Hash256 pbr)
        {
            w.WriteHash256(pbr);
        }
    }

    /// <summary>Decodes a header from exactly <paramref name="encoded"/>.</summary>
    /// <exception cref="RlpException">Malformed RLP, a field of the wrong size, or trailing bytes.</exception>
    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        RlpReader r = new(encoded);
        BlockHeader h = Read(ref r);
        r.EnsureFinished();
        return h;
    }

    /// <summary>Reads one header item; its hash is taken from the exact bytes read.</summary>
    /// <exception cref="RlpException">Malformed RLP or a field of the wrong size.</exception>
    public static BlockHeader Read(ref RlpReader r)
    {
        ReadOnlySpan<byte> item = r.ReadEncodedItem();
        RlpReader f = new(item);
        int end = f.ReadListHeader();
        Hash256 parent = f.ReadHash256();
        Hash256 ommers = f.ReadHash256();
        Address beneficiary = f.ReadAddress();
        Hash256 stateRoot = f.ReadHash256();
        Hash256 txRoot = f.ReadHash256();
        Hash256 receiptsRoot = f.ReadHash256();
        int bloomAt = f.Position;
        ReadOnlySpan<byte> bloom = f.ReadBytes();
        if (bloom.Length != Bloom.Size)
        {
            throw new RlpException(RlpError.UnexpectedLength, bloomAt, $"logs bloom must be {Bloom.Size} bytes, got {bloom.Length}");
        }

        UInt256 difficulty = f.ReadUInt256();
        ulong number = f.ReadUInt64();
        ulong gasLimit = f.ReadUInt64();
        ulong gasUsed = f.ReadUInt64();
        ulong timestamp = f.ReadUInt64();
        byte[] extra = f.ReadBytes().ToArray();
        Hash256 mix = f.ReadHash256();
        int nonceAt = f.Position;
        ReadOnlySpan<byte> nonce = f.ReadBytes();
        if (nonce.Length != 8)
        {
            throw new RlpException(RlpError.UnexpectedLength, nonceAt, $"header nonce must be 8 bytes, got {nonce.Length}");
        }

        UInt256? baseFee = f.HasItemsBefore(end) ? f.ReadUInt256() : null;
        Hash256? withdrawalsRoot = f.HasItemsBefore(end) ? f.ReadHash256() : null;
        ulong? blobGasUsed = f.HasItemsBefore(end) ? f.ReadUInt64() : null;
        ulong? excessBlobGas = f.HasItemsBefore(end) ? f.ReadUInt64() : null;
        Hash256? beaconRoot = f.HasItemsBefore(end) ? f.ReadHash256() : null;
        f.EnsureAt(end);
        f.EnsureFinished();

        BlockHeader header = new()
        {
            ParentHash = parent,
            OmmersHash = ommers,
            Beneficiary = beneficiary,
            StateRoot = stateRoot,
            TransactionsRoot = txRoot,
            ReceiptsRoot = receiptsRoot,
            LogsBloom = new Bloom(bloom),
            Difficulty = difficulty,
            Number = number,
            GasLimit = gasLimit,
            GasUsed = gasUsed,
            Timestamp = timestamp,
            ExtraData = extra,
            MixHash = mix,
            Nonce = BinaryPrimitives.ReadUInt64BigEndian(nonce),
            BaseFeePerGas = baseFee,
            WithdrawalsRoot = withdrawalsRoot,
            BlobGasUsed = blobGasUsed,
            ExcessBlobGas = excessBlobGas,
            ParentBeaconBlockRoot = beaconRoot,
        };
        header.SetHash(Keccak256.Compute(item));
        return header;
    }

    private static int PayloadLength(BlockHeader h)
    {
        int len = 6 * RlpLength.LengthOfHash + RlpLength.LengthOfAddress + RlpLength.LengthOfBytes(Bloom.Size)
            + RlpLength.LengthOf(h.Difficulty) + RlpLength.LengthOf(h.Number) + RlpLength.LengthOf(h.GasLimit)
            + RlpLength.LengthOf(h.GasUsed) + RlpLength.LengthOf(h.Timestamp) + RlpLength.LengthOfBytes(h.ExtraData)
            + 9;
        if (h.BaseFeePerGas is UInt256 baseFee)
        {
            len += RlpLength.LengthOf(baseFee);
        }

        if (h.WithdrawalsRoot is not null)
        {
            len += RlpLength.LengthOfHash;
        }

        if (h.BlobGasUsed is ulong bgu)
        {
            len += RlpLength.LengthOf(bgu);
        }

        if (h.ExcessBlobGas is ulong ebg)
        {
            len += RlpLength.LengthOf(ebg);
        }

        if (h.ParentBeaconBlockRoot is not null)
        {
            len += RlpLength.LengthOfHash;
        }

        return len;
    }

    private static void CheckOptionalFieldOrder(BlockHeader h)
    {
        // A later fork's field cannot be present without the earlier ones: the encoding is positional.
        bool seenMissing = false;
        foreach (bool present in (ReadOnlySpan<bool>)[h.BaseFeePerGas is not null, h.WithdrawalsRoot is not null, h.BlobGasUsed is not null, h.ExcessBlobGas is not null, h.ParentBeaconBlockRoot is not null])
        {
            if (present && seenMissing)
            {
                throw new InvalidOperationException("a header field of a later fork is set while an earlier fork's field is missing");
            }

            seenMissing |= !present;
        }
    }
}
