using Cere.Core;

namespace Cere.Vm;

/// <summary>The block a transaction executes in, as the EVM sees it (COINBASE, NUMBER, TIMESTAMP, BASEFEE …).</summary>
public sealed class BlockEnvironment
{
    /// <summary>The beneficiary that receives priority fees (COINBASE).</summary>
    public Address Coinbase { get; init; }

    /// <summary>The block number.</summary>
    public long Number { get; init; }

    /// <summary>The block timestamp in seconds.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>The block gas limit in gas units.</summary>
    public long GasLimit { get; init; }

    /// <summary>EIP-1559 base fee per gas, in wei.</summary>
    public UInt256 BaseFee { get; init; }

    /// <summary>EIP-4399 PREVRANDAO value.</summary>
    public Hash256 PrevRandao { get; init; }

    /// <summary>EIP-7516 BLOBBASEFEE, in wei (1 when the excess blob gas is 0).</summary>
    public UInt256 BlobBaseFee { get; init; } = UInt256.One;

    /// <summary>The chain id (CHAINID).</summary>
    public ulong ChainId { get; init; } = 1;

    /// <summary>The hash of an earlier block by number (BLOCKHASH, only asked for the 256 most recent); null gives zero.</summary>
    public Func<long, Hash256>? BlockHashes { get; init; }

    /// <summary>EIP-4844 fake_exponential(1, excessBlobGas, 3338477): the blob base fee for an excess blob gas.</summary>
    public static UInt256 BlobBaseFeeFor(ulong excessBlobGas)
    {
        // EIP-4844 helper: integer approximation of factor * e ** (numerator / denominator).
        System.Numerics.BigInteger factor = 1, numerator = excessBlobGas, denominator = 3_338_477;
        System.Numerics.BigInteger i = 1, output = 0, acc = factor * denominator;
        while (acc > 0)
        {
            output += acc;
            acc = acc * numerator / (denominator * i);
            i++;
        }

        return UInt256.FromBigInteger(output / denominator);
    }
}
