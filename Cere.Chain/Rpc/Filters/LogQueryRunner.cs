using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Core.Blocks;
using Cere.Core.Receipts;

namespace Cere.Chain.Rpc.Filters;

/// <summary>
/// Runs a <see cref="LogFilterRequest"/> against the chain with geth's range rules and the node's limits, and writes
/// logs in the execution-apis shape. Shared by eth_getLogs and eth_getFilterLogs.
/// </summary>
public sealed class LogQueryRunner
{
    private readonly Blockchain _chain;
    private readonly LogSearch _search;
    private readonly RpcLimits _limits;

    /// <summary>Creates a runner over <paramref name="chain"/> with <paramref name="limits"/>.</summary>
    public LogQueryRunner(Blockchain chain, RpcLimits limits)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _search = new LogSearch(chain);
    }

    /// <summary>The matching logs, in chain order.</summary>
    /// <exception cref="RpcException">A bad range, an unknown block hash, or a limit exceeded (-32005).</exception>
    public List<MatchedLog> Run(LogFilterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<MatchedLog> found = [];
        if (request.BlockHash is { } hash)
        {
            BlockHeader header = _chain.Blocks.ReadHeader(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, "unknown block");
            if (request.Filter.MayMatch(header.LogsBloom)
                && _chain.Blocks.ReadBlock(hash) is Block block
                && _chain.Blocks.ReadReceipts(hash) is Receipt[] receipts)
            {
                LogSearch.Collect(request.Filter, block, receipts, found);
            }

            CheckResultCount(found);
            return found;
        }

        (ulong from, ulong to) = Resolve(request.FromBlock, request.ToBlock);
        if (to - from >= (ulong)_limits.MaxLogBlockRange)
        {
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"exceed maximum block range: {_limits.MaxLogBlockRange}");
        }

        _search.Find(request.Filter, from, to, _limits.MaxLogResults, found);
        CheckResultCount(found);
        return found;
    }

    /// <summary>
    /// Turns the range's selectors into block numbers (absent: latest), with the errors geth returns in
    /// ethereum/execution-apis tests/eth_getLogs.
    /// </summary>
    public (ulong From, ulong To) Resolve(BlockSelector? fromBlock, BlockSelector? toBlock)
    {
        ulong head = _chain.Head.Number;
        BlockSelector fromSel = fromBlock ?? BlockSelector.Latest;
        BlockSelector toSel = toBlock ?? BlockSelector.Latest;
        if (fromSel.Kind == BlockSelectorKind.Pending || toSel.Kind == BlockSelectorKind.Pending)
        {
            throw new RpcException(RpcErrorCodes.ServerError, "pending logs are not supported");
        }

        ulong from = Number(fromSel, head);
        ulong to = Number(toSel, head);
        if (toSel.Kind == BlockSelectorKind.Number && to > head)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, "block range extends beyond current head block");
        }

        if (from > head)
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, "invalid block range params");
        }

        if (from > to)
        {
            throw new RpcException(RpcErrorCodes.ServerError, "invalid block range params");
        }

        return (from, to);
    }

    /// <summary>Writes <paramref name="logs"/> as a JSON array of log objects.</summary>
    public static void WriteLogs(Utf8JsonWriter w, List<MatchedLog> logs) => LogJson.WriteArray(w, logs);

    private void CheckResultCount(List<MatchedLog> found)
    {
        if (found.Count > _limits.MaxLogResults)
        {
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"query returned more than {_limits.MaxLogResults} results");
        }
    }

    private static ulong Number(BlockSelector s, ulong head) => s.Kind switch
    {
        BlockSelectorKind.Earliest => 0,
        BlockSelectorKind.Number => s.Number,
        _ => head, // latest, safe, finalized: every sealed block is final on this chain
    };
}
