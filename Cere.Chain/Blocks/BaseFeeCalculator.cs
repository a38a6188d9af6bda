using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;

namespace Cere.Chain.Blocks;

/// <summary>The EIP-1559 base fee of a child block, with the elasticity and change denominator from the chainspec.</summary>
public static class BaseFeeCalculator
{
    /// <summary>The base fee per gas (wei) of the block after <paramref name="parent"/>.</summary>
    public static UInt256 Next(BlockHeader parent, ChainSpec spec)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(spec);
        UInt256 parentFee = parent.BaseFeePerGas ?? UInt256.Zero;
        ulong target = parent.GasLimit / spec.ElasticityMultiplier;

        // EIP-1559: unchanged at target; otherwise moves by parentFee * |used - target| / target / denominator,
        // at least 1 wei upwards.
        if (parent.GasUsed == target || target == 0)
        {
            return parentFee;
        }

        if (parent.GasUsed > target)
        {
            UInt256 delta = parentFee * new UInt256(parent.GasUsed - target) / new UInt256(target) / new UInt256(spec.BaseFeeChangeDenominator);
            return parentFee + (delta.IsZero ? UInt256.One : delta);
        }

        UInt256 down = parentFee * new UInt256(target - parent.GasUsed) / new UInt256(target) / new UInt256(spec.BaseFeeChangeDenominator);
        return parentFee > down ? parentFee - down : UInt256.Zero;
    }
}
