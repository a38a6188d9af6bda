using System.Text.Json;
using Cere.Chain.Execution;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Transactions;
using Cere.Storage.State;
using Cere.Vm;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// eth_call, eth_estimateGas and eth_createAccessList: unsigned calls run on a throw-away copy of a block's state
/// (with optional state and block overrides) on the EVM thread; nothing is ever committed.
/// </summary>
public static class EthCallModule
{
    /// <summary>geth's default --rpc.gascap: the most gas a call may use, and the gas of a call that names none.</summary>
    public const ulong GasCap = 50_000_000;

    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, ChainReader reader)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(reader);
        ulong chainId = reader.Chain.Spec.ChainId;

        registry.Register("eth_call", (args, w, _) =>
        {
            args.ExpectCount(1, 4);
            CallRequest request = CallRequestJson.Parse(args, 0, chainId);
            BlockSelector block = args.GetBlock(1, BlockSelector.Latest);
            StateOverrides overrides = StateOverrides.Parse(args, 2);
            BlockOverrides? blockOverrides = BlockOverrides.Parse(args, 3);

            // geth: a call without gas gets the cap; a larger one is capped.
            ulong gas = request.Gas is ulong g && g < GasCap ? g : GasCap;
            request = request.WithGas(gas);
            (WorldState state, BlockEnvironment env) = Prepare(reader, block, overrides, blockOverrides);
            CallOutcome outcome;
            try
            {
                outcome = EvmExecutor.RunOnEvmThread(() => new TransactionProcessor(state, env).Call(request));
            }
            catch (TxRejectedException e)
            {
                throw new RpcException(RpcErrorCodes.ServerError, $"err: {e.Message} (supplied gas {gas})");
            }

            ThrowIfFailed(outcome, outcome.Error);
            w.WriteStringValue(Hex.Encode(outcome.Output));
        });

        registry.Register("eth_estimateGas", (args, w, _) =>
        {
            args.ExpectCount(1, 3);
            CallRequest request = CallRequestJson.Parse(args, 0, chainId);
            BlockSelector block = args.GetBlock(1, BlockSelector.Latest);
            StateOverrides overrides = StateOverrides.Parse(args, 2);
            (WorldState state, BlockEnvironment env) = Prepare(reader, block, overrides, null);
            GasEstimate estimate;
            try
            {
                estimate = EvmExecutor.RunOnEvmThread(() => new TransactionProcessor(state, env).EstimateGas(request, GasCap));
            }
            catch (TxRejectedException e)
            {
                throw new RpcException(RpcErrorCodes.ServerError, e.Message);
            }

            if (estimate.Failure is CallOutcome failure)
            {
                ThrowIfFailed(failure, estimate.Error);
            }

            RpcJson.Quantity(w, estimate.Gas);
        });

        registry.Register("eth_createAccessList", (args, w, _) =>
        {
            args.ExpectCount(1, 2);
            CallRequest request = CallRequestJson.Parse(args, 0, chainId);
            BlockSelector block = args.GetBlock(1, BlockSelector.Latest);
            ulong gas = request.Gas is ulong g && g < GasCap ? g : GasCap;
            request = request.WithGas(gas);
            (WorldState state, BlockEnvironment env) = Prepare(reader, block, StateOverrides.None, null);
            (AccessListEntry[] list, CallOutcome outcome) result;
            try
            {
                result = EvmExecutor.RunOnEvmThread(() => new TransactionProcessor(state, env).CreateAccessList(request));
            }
            catch (TxRejectedException e)
            {
                throw new RpcException(RpcErrorCodes.ServerError, $"failed to apply transaction: err: {e.Message}");
            }

            w.WriteStartObject();
            w.WritePropertyName("accessList");
            WriteAccessList(w, result.list);
            RpcJson.Quantity(w, "gasUsed", (ulong)result.outcome.GasUsed);
            if (result.outcome.Error is string error)
            {
                w.WriteString("error", error);
            }

            w.WriteEndObject();
        });
    }

    /// <summary>The state after <paramref name="selector"/>'s block with the overrides applied, and that block as the EVM sees it.</summary>
    /// <exception cref="RpcException">No such block ("header not found").</exception>
    public static (WorldState State, BlockEnvironment Block) Prepare(ChainReader reader, BlockSelector selector, StateOverrides overrides, BlockOverrides? blockOverrides)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(overrides);
        BlockHeader h = reader.Header(selector) ?? throw new RpcException(RpcErrorCodes.ServerError, "header not found");
        WorldState state = reader.Chain.OpenState(h.StateRoot);
        if (!overrides.IsEmpty)
        {
            overrides.ApplyTo(state);
        }

        Blocks.Blockchain chain = reader.Chain;
        BlockEnvironment env = new()
        {
            Coinbase = h.Beneficiary,
            Number = (long)h.Number,
            Timestamp = h.Timestamp,
            GasLimit = (long)h.GasLimit,
            BaseFee = h.BaseFeePerGas ?? UInt256.Zero,
            PrevRandao = h.MixHash,
            BlobBaseFee = BlockEnvironment.BlobBaseFeeFor(h.ExcessBlobGas ?? 0),
            ChainId = chain.Spec.ChainId,
            BlockHashes = n => n >= 0 && chain.HeaderByNumber((ulong)n) is BlockHeader b ? b.Hash : Hash256.Zero,
        };
        return (state, blockOverrides?.ApplyTo(env) ?? env);
    }

    /// <summary>An access list in the execution-apis shape: [{address, storageKeys}].</summary>
    public static void WriteAccessList(Utf8JsonWriter w, IReadOnlyList<AccessListEntry> list)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(list);
        w.WriteStartArray();
        for (int i = 0; i < list.Count; i++)
        {
            w.WriteStartObject();
            RpcJson.Address(w, "address", list[i].Address);
            w.WriteStartArray("storageKeys");
            foreach (Hash256 k in list[i].StorageKeys)
            {
                w.WriteStringValue(Hex.Encode(k.Bytes));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    // A revert is code 3 with the revert data (EIP-1474 / geth), which ethers and Nethereum decode; other VM errors are -32000.
    private static void ThrowIfFailed(CallOutcome outcome, string? error)
    {
        if (outcome.Status == EvmStatus.Revert)
        {
            throw new RpcException(RpcErrorCodes.ExecutionReverted, RevertReason.Message(outcome.Output), Hex.Encode(outcome.Output));
        }

        if (!outcome.IsSuccess)
        {
            throw new RpcException(RpcErrorCodes.ServerError, error ?? "execution failed");
        }
    }
}
