using Cere.Core;
using Cere.Core.Rlp;

namespace Cere.Storage.State;

/// <summary>An account as the state trie stores it: RLP([nonce, balance, storageRoot, codeHash]) (Yellow Paper, 4.1).</summary>
public readonly record struct Account(ulong Nonce, UInt256 Balance, Hash256 StorageRoot, Hash256 CodeHash)
{
    /// <summary>A new account: nonce 0, balance 0, no storage, no code.</summary>
    public static Account Empty => new(0, UInt256.Zero, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);

    /// <summary>EIP-161 empty: nonce 0, balance 0, no code.</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Hash256.EmptyKeccak;

    /// <summary>The length of <see cref="Encode(Span{byte})"/>.</summary>
    public int EncodedLength => Rlp.LengthOfList(PayloadLength);

    private int PayloadLength => Rlp.LengthOf(Nonce) + Rlp.LengthOf(Balance) + (2 * Rlp.LengthOfHash);

    /// <summary>Writes the RLP into <paramref name="destination"/> (at least <see cref="EncodedLength"/> bytes); returns the length.</summary>
    public int Encode(Span<byte> destination)
    {
        int payload = PayloadLength;
        int total = Rlp.LengthOfList(payload);
        RlpWriter w = new(destination[..total]);
        w.WriteListHeader(payload);
        w.WriteUInt64(Nonce);
        w.WriteUInt256(Balance);
        w.WriteHash256(StorageRoot);
        w.WriteHash256(CodeHash);
        return total;
    }

    /// <summary>The RLP as a new array.</summary>
    public byte[] Encode()
    {
        byte[] result = new byte[EncodedLength];
        Encode(result);
        return result;
    }

    /// <summary>Decodes an account's RLP strictly (canonical integers, 32-byte hashes, nothing after).</summary>
    /// <exception cref="RlpException">Malformed or non-canonical.</exception>
    public static Account Decode(ReadOnlySpan<byte> rlp)
    {
        RlpReader r = new(rlp);
        int end = r.ReadListHeader();
        ulong nonce = r.ReadUInt64();
        UInt256 balance = r.ReadUInt256();
        Hash256 storageRoot = r.ReadHash256();
        Hash256 codeHash = r.ReadHash256();
        r.EnsureAt(end);
        r.EnsureFinished();
        return new Account(nonce, balance, storageRoot, codeHash);
    }
}
