using Cere.Chain.Rpc.Filters;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_getLogs: logs by block range or block hash, address and topics, through the log index.</summary>
public static class EthLogsModule
{
    /// <summary>Adds the method to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, LogQueryRunner logs)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(logs);
        registry.Register("eth_getLogs", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            LogQueryRunner.WriteLogs(w, logs.Run(LogFilterRequest.Parse(args, 0)));
        });
    }
}
