using System.Text.Json;
using Cere.Chain.Logs;
using Cere.Chain.Rpc.Filters;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// Polling filters: eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter, eth_getFilterChanges,
/// eth_getFilterLogs, eth_uninstallFilter.
/// </summary>
public static class EthFilterModule
{
    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, FilterStore filters, LogQueryRunner logs)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(logs);
        registry.Register("eth_newFilter", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            w.WriteStringValue(filters.Install(FilterKind.Logs, LogFilterRequest.Parse(args, 0)));
        });
        registry.Register("eth_newBlockFilter", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStringValue(filters.Install(FilterKind.Blocks, null));
        });
        registry.Register("eth_newPendingTransactionFilter", (args, w, _) =>
        {
            // An optional fullTx flag, as geth takes: whole transaction objects instead of hashes.
            args.ExpectCount(0, 1);
            w.WriteStringValue(filters.Install(FilterKind.PendingTransactions, null, args.GetBool(0, false)));
        });
        registry.Register("eth_getFilterChanges", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            InstalledFilter f = filters.Poll(FilterId(args));
            if (f.Kind == FilterKind.Logs)
            {
                LogQueryRunner.WriteLogs(w, f.TakeLogs());
                return;
            }

            w.WriteStartArray();
            if (f.FullTransactions)
            {
                foreach (Transaction tx in f.TakeTransactions())
                {
                    ChainJson.WriteTransaction(w, tx, null, null);
                }

                w.WriteEndArray();
                return;
            }

            foreach (Hash256 h in f.TakeHashes())
            {
                w.WriteStringValue(Hex.Encode(h.Bytes));
            }

            w.WriteEndArray();
        });
        registry.Register("eth_getFilterLogs", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            InstalledFilter f = filters.Poll(FilterId(args));
            if (f.Request is not LogFilterRequest request)
            {
                throw new RpcException(RpcErrorCodes.ServerError, "filter not found");
            }

            List<MatchedLog> found = logs.Run(request);
            LogQueryRunner.WriteLogs(w, found);
        });
        registry.Register("eth_uninstallFilter", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            w.WriteBooleanValue(filters.Uninstall(FilterId(args)));
        });
    }

    private static string FilterId(RpcParams args)
    {
        JsonElement e = args[0];
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw RpcException.InvalidArgument(0, "filter id must be a string");
    }
}
