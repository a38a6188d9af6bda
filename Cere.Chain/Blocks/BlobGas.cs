using Cere.Core;
using Cere.Core.Blocks;
using Cere.Vm;

namespace Cere.Chain.Blocks;

/// <summary>EIP-4844 blob-gas accounting of headers (this chain carries no blobs, so blob gas used is always 0).</summary>
public static class BlobGas
{
    /// <summary>EIP-4844 TARGET_BLOB_GAS_PER_BLOCK (3 blobs of 131,072 gas).</summary>
    public const ulong TargetPerBlock = 393_216;

    /// <summary>EIP-4844 calc_excess_blob_gas: the excess of the child of <paramref name="parent"/> (a pre-Cancun parent counts as 0).</summary>
    public static ulong ExcessAfter(BlockHeader parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ulong excess = parent.ExcessBlobGas ?? 0;
        ulong used = parent.BlobGasUsed ?? 0;
        ulong sum = excess + used;
        return sum < TargetPerBlock ? 0 : sum - TargetPerBlock;
    }

    /// <summary>EIP-7516 BLOBBASEFEE of a block with <paramref name="header"/>'s excess blob gas (1 before Cancun, as at excess 0).</summary>
    public static UInt256 BaseFeeOf(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.ExcessBlobGas is ulong e && e != 0 ? BlockEnvironment.BlobBaseFeeFor(e) : UInt256.One;
    }
}
