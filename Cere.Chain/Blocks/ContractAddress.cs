using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using RlpLength = Cere.Core.Rlp.Rlp;

namespace Cere.Chain.Blocks;

/// <summary>The address a CREATE from a transaction gets: keccak256(rlp([sender, nonce]))[12:] (Yellow Paper §7).</summary>
public static class ContractAddress
{
    /// <summary>The contract address for <paramref name="sender"/> at <paramref name="nonce"/>.</summary>
    public static Address From(in Address sender, ulong nonce)
    {
        int payload = RlpLength.LengthOfAddress + RlpLength.LengthOf(nonce);
        Span<byte> buffer = stackalloc byte[RlpLength.LengthOfList(payload)];
        RlpWriter w = new(buffer);
        w.WriteListHeader(payload);
        w.WriteAddress(sender);
        w.WriteUInt64(nonce);
        Hash256 hash = Keccak256.Compute(buffer);
        return new Address(hash.Bytes[12..]);
    }
}
