using Cere.Core;
using Cere.Vm;

namespace Cere.Chain.Execution;

/// <summary>The block a transaction executes in: what an executor needs to know about it.</summary>
public sealed record BlockContext
{
    /// <summary>The block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>The block timestamp in seconds since the Unix epoch.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>The beneficiary of priority fees.</summary>
    public required Address Coinbase { get; init; }

    /// <summary>The block gas limit in gas units.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>The EIP-1559 base fee per gas in wei.</summary>
    public required UInt256 BaseFee { get; init; }

    /// <summary>The chain id transactions must carry.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The PREVRANDAO value (mix hash).</summary>
    public Hash256 PrevRandao { get; init; }

    /// <summary>EIP-7516 BLOBBASEFEE in wei, from the header's excess blob gas (1 when the excess is 0).</summary>
    public UInt256 BlobBaseFee { get; init; } = UInt256.One;

    /// <summary>Hashes of earlier canonical blocks by number (BLOCKHASH); null gives zero.</summary>
    public Func<long, Hash256>? BlockHashes { get; init; }

    /// <summary>The VM's view of this block (the same fields, in the VM's types).</summary>
    public BlockEnvironment ToEnvironment() => new()
    {
        Coinbase = Coinbase,
        Number = (long)Number,
        Timestamp = Timestamp,
        GasLimit = (long)GasLimit,
        BaseFee = BaseFee,
        PrevRandao = PrevRandao,
        BlobBaseFee = BlobBaseFee,
        ChainId = ChainId,
        BlockHashes = BlockHashes,
    };
}
