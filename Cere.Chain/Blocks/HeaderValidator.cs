using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;

namespace Cere.Chain.Blocks;

/// <summary>The rules a post-merge header must keep against its parent (Yellow Paper §4.3.4 with the London-to-Cancun EIPs).</summary>
public static class HeaderValidator
{
    /// <summary>EIP-1559 / Yellow Paper: the least gas limit a block may have.</summary>
    public const ulong MinGasLimit = 5000;

    /// <summary>The greatest gas limit a block may have (2^63 − 1, as geth's MaxGasLimit).</summary>
    public const ulong MaxGasLimit = long.MaxValue;

    /// <summary>Checks <paramref name="h"/> against <paramref name="parent"/>.</summary>
    /// <exception cref="InvalidBlockException">The first rule the header breaks.</exception>
    public static void Validate(BlockHeader h, BlockHeader parent, ChainSpec spec, ForkSchedule forks)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(forks);
        if (h.ParentHash != parent.Hash)
        {
            throw new InvalidBlockException($"block {h.Number} has parent {h.ParentHash}, not {parent.Hash}");
        }

        if (h.Number != parent.Number + 1)
        {
            throw new InvalidBlockException($"invalid block number {h.Number}: the parent is {parent.Number}");
        }

        if (h.Timestamp <= parent.Timestamp)
        {
            throw new InvalidBlockException($"timestamp {h.Timestamp} not after the parent's {parent.Timestamp}");
        }

        if (h.ExtraData.Length > 32)
        {
            throw new InvalidBlockException($"extra data is {h.ExtraData.Length} bytes, at most 32");
        }

        // EIP-3675: after the merge there is no proof of work and no ommers.
        if (!h.Difficulty.IsZero)
        {
            throw new InvalidBlockException($"difficulty {h.Difficulty} after the merge, must be 0");
        }

        if (h.Nonce != 0)
        {
            throw new InvalidBlockException($"nonce {h.Nonce} after the merge, must be 0");
        }

        if (h.OmmersHash != Hash256.EmptyListHash)
        {
            throw new InvalidBlockException($"ommers hash {h.OmmersHash} after the merge, must be the empty list's");
        }

        if (h.GasLimit > MaxGasLimit)
        {
            throw new InvalidBlockException($"gas limit {h.GasLimit} above the maximum {MaxGasLimit}");
        }

        if (h.GasUsed > h.GasLimit)
        {
            throw new InvalidBlockException($"gas used {h.GasUsed} above the gas limit {h.GasLimit}");
        }

        // EIP-1559: the gas limit moves by less than parent/1024 per block and stays at least 5000.
        ulong bound = parent.GasLimit / 1024;
        ulong diff = h.GasLimit > parent.GasLimit ? h.GasLimit - parent.GasLimit : parent.GasLimit - h.GasLimit;
        if (diff >= bound || h.GasLimit < MinGasLimit)
        {
            throw new InvalidBlockException($"invalid gas limit {h.GasLimit} after the parent's {parent.GasLimit}");
        }

        UInt256 expected = BaseFeeCalculator.Next(parent, spec);
        if (h.BaseFeePerGas is not UInt256 fee || fee != expected)
        {
            throw new InvalidBlockException($"invalid base fee {h.BaseFeePerGas}, expected {expected}");
        }

        // EIP-4895: Shanghai headers carry a withdrawals root, earlier ones do not.
        bool shanghai = forks.IsShanghai(h.Timestamp);
        if (shanghai != h.WithdrawalsRoot.HasValue)
        {
            throw new InvalidBlockException(shanghai ? "missing withdrawals root" : "withdrawals root before Shanghai");
        }

        bool cancun = forks.IsCancun(h.Timestamp);
        if (!cancun)
        {
            if (h.BlobGasUsed.HasValue || h.ExcessBlobGas.HasValue || h.ParentBeaconBlockRoot.HasValue)
            {
                throw new InvalidBlockException("blob gas fields or parent beacon block root before Cancun");
            }

            return;
        }

        // EIP-4844: blob gas used is the blobs' gas; this chain carries no blob transactions, so it is 0.
        if (h.BlobGasUsed is not ulong blobGasUsed)
        {
            throw new InvalidBlockException("missing blob gas used");
        }

        if (blobGasUsed != 0)
        {
            throw new InvalidBlockException($"blob gas used {blobGasUsed}, but the block carries no blobs");
        }

        // EIP-4844 calc_excess_blob_gas over the parent's fields.
        ulong excess = BlobGas.ExcessAfter(parent);
        if (h.ExcessBlobGas is not ulong got || got != excess)
        {
            throw new InvalidBlockException($"invalid excess blob gas {h.ExcessBlobGas}, expected {excess}");
        }

        // EIP-4788: Cancun headers carry the parent beacon block root.
        if (!h.ParentBeaconBlockRoot.HasValue)
        {
            throw new InvalidBlockException("missing parent beacon block root");
        }
    }
}
