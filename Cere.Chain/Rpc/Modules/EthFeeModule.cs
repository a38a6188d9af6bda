using Cere.Chain.Blocks;
using Cere.Chain.Network;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_chainId, eth_blockNumber, eth_syncing, eth_accounts, eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory.</summary>
public static class EthFeeModule
{
    /// <summary>The tip suggested to clients, in wei (1 gwei, as geth's dev mode and ethers' default).</summary>
    public static readonly UInt256 SuggestedTip = new(1_000_000_000UL);

    private const int MaxFeeHistoryBlocks = 1024;

    /// <summary>Adds the methods to <paramref name="registry"/>; <paramref name="syncProgress"/> answers <c>eth_syncing</c> (null: never syncing).</summary>
    public static void Register(RpcMethodRegistry registry, ChainReader reader, Func<SyncProgress>? syncProgress = null)
    {
        Blockchain chain = reader.Chain;
        registry.Register("eth_chainId", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            RpcJson.Quantity(w, chain.Spec.ChainId);
        });
        registry.Register("eth_blockNumber", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            RpcJson.Quantity(w, chain.Head.Number);
        });
        registry.Register("eth_syncing", (args, w, _) =>
        {
            args.ExpectCount(0, 0);

            // execution-apis eth_syncing: false, or {startingBlock, currentBlock, highestBlock} as quantities (geth's shape).
            SyncProgress? p = syncProgress?.Invoke();
            if (p is not { IsSyncing: true } s)
            {
                w.WriteBooleanValue(false);
                return;
            }

            w.WriteStartObject();
            RpcJson.Quantity(w, "startingBlock", s.StartingBlock);
            RpcJson.Quantity(w, "currentBlock", s.CurrentBlock);
            RpcJson.Quantity(w, "highestBlock", s.HighestBlock);
            w.WriteEndObject();
        });
        registry.Register("eth_accounts", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStartArray();
            w.WriteEndArray();
        });
        registry.Register("eth_gasPrice", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStringValue((BaseFeeCalculator.Next(chain.Head, chain.Spec) + SuggestedTip).ToHexQuantity());
        });
        registry.Register("eth_maxPriorityFeePerGas", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStringValue(SuggestedTip.ToHexQuantity());
        });
        registry.Register("eth_feeHistory", (args, w, _) =>
        {
            args.ExpectCount(2, 3);
            ulong count = BlockCount(args);
            BlockHeader newest = reader.Header(args.GetBlock(1, BlockSelector.Latest)) ?? throw new RpcException(RpcErrorCodes.ServerError, "header not found");
            double[] percentiles = ReadPercentiles(args);
            count = Math.Min(Math.Min(count, MaxFeeHistoryBlocks), newest.Number + 1);
            ulong oldest = newest.Number + 1 - count;
            w.WriteStartObject();
            RpcJson.Quantity(w, "oldestBlock", count == 0 ? newest.Number : oldest);
            w.WritePropertyName("baseFeePerGas");
            w.WriteStartArray();
            for (ulong n = oldest; n <= newest.Number && count > 0; n++)
            {
                w.WriteStringValue((chain.HeaderByNumber(n)?.BaseFeePerGas ?? UInt256.Zero).ToHexQuantity());
            }

            w.WriteStringValue(BaseFeeCalculator.Next(newest, chain.Spec).ToHexQuantity());
            w.WriteEndArray();
            w.WritePropertyName("gasUsedRatio");
            w.WriteStartArray();
            for (ulong n = oldest; n <= newest.Number && count > 0; n++)
            {
                BlockHeader h = chain.HeaderByNumber(n)!;
                w.WriteNumberValue(h.GasLimit == 0 ? 0 : (double)h.GasUsed / h.GasLimit);
            }

            w.WriteEndArray();
            if (percentiles.Length > 0)
            {
                w.WritePropertyName("reward");
                w.WriteStartArray();
                for (ulong n = oldest; n <= newest.Number && count > 0; n++)
                {
                    WriteRewards(w, chain, n, percentiles);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
    }

    // geth's blockCount is a hex string or a plain JSON number.
    private static ulong BlockCount(RpcParams args)
    {
        System.Text.Json.JsonElement e = args[0];
        if (e.ValueKind == System.Text.Json.JsonValueKind.Number)
        {
            return e.TryGetUInt64(out ulong n) ? n : throw RpcException.InvalidArgument(0, "block count must be a non-negative 64-bit integer");
        }

        return args.GetUInt64(0);
    }

    private static double[] ReadPercentiles(RpcParams args)
    {
        if (!args.Has(2))
        {
            return [];
        }

        if (args[2].ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            throw RpcException.InvalidArgument(2, "json: cannot unmarshal into Go value of type []float64");
        }

        double[] p = new double[args[2].GetArrayLength()];
        int i = 0;
        double previous = 0;
        foreach (System.Text.Json.JsonElement e in args[2].EnumerateArray())
        {
            if (e.ValueKind != System.Text.Json.JsonValueKind.Number || !e.TryGetDouble(out double v) || v < 0 || v > 100 || v < previous)
            {
                throw RpcException.InvalidArgument(2, "invalid reward percentile: each must be in [0, 100] and not below the one before");
            }

            p[i++] = previous = v;
        }

        return p;
    }

    // Per block: the tip at each percentile of gas used, transactions sorted by tip (geth's weighting).
    private static void WriteRewards(System.Text.Json.Utf8JsonWriter w, Blockchain chain, ulong number, double[] percentiles)
    {
        BlockHeader h = chain.HeaderByNumber(number)!;
        Block? block = chain.Blocks.ReadBlock(h.Hash);
        Receipt[]? receipts = chain.Blocks.ReadReceipts(h.Hash);
        UInt256 baseFee = h.BaseFeePerGas ?? UInt256.Zero;
        w.WriteStartArray();
        if (block is null || receipts is null || block.Transactions.Length == 0)
        {
            foreach (double _ in percentiles)
            {
                w.WriteStringValue("0x0");
            }

            w.WriteEndArray();
            return;
        }

        (UInt256 Tip, ulong Gas)[] sorted = new (UInt256, ulong)[block.Transactions.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            Transaction tx = block.Transactions[i];
            ulong gas = receipts[i].CumulativeGasUsed - (i == 0 ? 0 : receipts[i - 1].CumulativeGasUsed);
            sorted[i] = (BlockBuilder.EffectiveTip(tx, baseFee), gas);
        }

        Array.Sort(sorted, (a, b) => a.Tip.CompareTo(b.Tip));
        int idx = 0;
        ulong sum = sorted[0].Gas;
        foreach (double p in percentiles)
        {
            double threshold = h.GasUsed * p / 100;
            while (sum < threshold && idx < sorted.Length - 1)
            {
                idx++;
                sum += sorted[idx].Gas;
            }

            w.WriteStringValue(sorted[idx].Tip.ToHexQuantity());
        }

        w.WriteEndArray();
    }
}
