using System.Buffers;
using System.Text.Json;
using Cere.Chain.Blocks;
using Cere.Chain.Logs;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Modules;
using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;
using Cere.Core.Transactions;

namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>
/// The live eth_subscribe subscriptions of every WebSocket connection. New blocks and pool transactions are turned
/// into notifications on the thread that raised them; pushing never blocks (a connection whose queue is full
/// refuses, and loses its subscriptions and its socket). Subscriptions end with their connection.
/// </summary>
public sealed class SubscriptionHub : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private readonly Blockchain _chain;
    private readonly TransactionPool _pool;
    private readonly RpcLimits _limits;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Subscription> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<IRpcPushChannel, int> _perChannel = new(ReferenceEqualityComparer.Instance);

    // Copy-on-write snapshot for the event handlers, so a block commit never waits on a subscribe call.
    private Subscription[] _all = [];

    /// <summary>Creates the hub and listens to <paramref name="chain"/> and <paramref name="pool"/>.</summary>
    public SubscriptionHub(Blockchain chain, TransactionPool pool, RpcLimits limits)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _chain.BlockCommitted += OnBlockCommitted;
        _chain.Reorganised += OnReorganised;
        _pool.PendingTransactionAdded += OnTransactionAdded;
    }

    /// <summary>The number of live subscriptions.</summary>
    public int Count => Volatile.Read(ref _all).Length;

    /// <summary>Creates a subscription on the calling connection; it delivers once the call's response is queued.</summary>
    /// <exception cref="RpcException">Not a WebSocket call, or the connection holds too many subscriptions.</exception>
    public string Subscribe(RpcCallContext context, SubscriptionKind kind, LogFilter filter, bool fullTransactions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        IRpcPushChannel channel = context.PushChannel
            ?? throw new RpcException(RpcErrorCodes.MethodNotFound, "notifications not supported");
        Subscription sub = new(RpcId.New(), channel, kind, filter, fullTransactions);
        bool first;
        lock (_lock)
        {
            int count = _perChannel.GetValueOrDefault(channel);
            if (count >= _limits.MaxSubscriptionsPerConnection)
            {
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many subscriptions on this connection (at most {_limits.MaxSubscriptionsPerConnection})");
            }

            first = count == 0;
            _perChannel[channel] = count + 1;
            _byId.Add(sub.Id, sub);
            Publish();
        }

        if (first)
        {
            channel.Closed += () => DropChannel(channel);
        }

        context.AfterResponse(() =>
        {
            if (!sub.Activate())
            {
                DropChannel(channel);
            }
        });
        return sub.Id;
    }

    /// <summary>Ends subscription <paramref name="id"/> of the calling connection; false when it has none of that id.</summary>
    public bool Unsubscribe(RpcCallContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (_lock)
        {
            if (context.PushChannel is null || !_byId.TryGetValue(id, out Subscription? sub) || !ReferenceEquals(sub.Channel, context.PushChannel))
            {
                return false;
            }

            _byId.Remove(id);
            _perChannel[sub.Channel]--;
            Publish();
            return true;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _chain.BlockCommitted -= OnBlockCommitted;
        _chain.Reorganised -= OnReorganised;
        _pool.PendingTransactionAdded -= OnTransactionAdded;
    }

    private void DropChannel(IRpcPushChannel channel)
    {
        lock (_lock)
        {
            if (!_perChannel.Remove(channel))
            {
                return;
            }

            List<string> ids = [];
            foreach (KeyValuePair<string, Subscription> kv in _byId)
            {
                if (ReferenceEquals(kv.Value.Channel, channel))
                {
                    ids.Add(kv.Key);
                }
            }

            foreach (string id in ids)
            {
                _byId.Remove(id);
            }

            Publish();
        }
    }

    // Caller holds _lock.
    private void Publish() => Volatile.Write(ref _all, [.. _byId.Values]);

    private void OnBlockCommitted(Block block, Receipt[] receipts)
    {
        Subscription[] subs = Volatile.Read(ref _all);
        if (subs.Length == 0)
        {
            return;
        }

        try
        {
            byte[]? head = null;
            List<MatchedLog> matched = [];
            Dictionary<int, byte[]>? logJson = null;
            foreach (Subscription sub in subs)
            {
                if (sub.Kind == SubscriptionKind.NewHeads)
                {
                    head ??= HeaderJson.Serialize(block.Header);
                    Send(sub, head);
                }
                else if (sub.Kind == SubscriptionKind.Logs)
                {
                    matched.Clear();
                    LogSearch.Collect(sub.Filter, block, receipts, matched);
                    foreach (MatchedLog m in matched)
                    {
                        logJson ??= [];
                        if (!logJson.TryGetValue(m.LogIndex, out byte[]? json))
                        {
                            json = Serialize(w => LogJson.Write(w, m));
                            logJson[m.LogIndex] = json;
                        }

                        if (!Send(sub, json))
                        {
                            break;
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A notification bug must not fail the block commit that raised the event; the block is already stored.
            Console.Error.WriteLine($"subscription notifications for block {block.Number} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    // Logs of the blocks a reorganisation dropped go out again with removed: true (as geth's logs subscription),
    // before the logs of the new branch, which BlockCommitted delivers next.
    private void OnReorganised(BlockHeader oldHead, BlockHeader ancestor)
    {
        Subscription[] subs = Volatile.Read(ref _all);
        try
        {
            List<(Block Block, Receipt[] Receipts)>? dropped = null;
            List<MatchedLog> matched = [];
            foreach (Subscription sub in subs)
            {
                if (sub.Kind != SubscriptionKind.Logs)
                {
                    continue;
                }

                dropped ??= LogSearch.DroppedBlocks(_chain, oldHead, ancestor);
                matched.Clear();
                foreach ((Block block, Receipt[] receipts) in dropped)
                {
                    LogSearch.Collect(sub.Filter, block, receipts, matched, removed: true);
                }

                foreach (MatchedLog m in matched)
                {
                    if (!Send(sub, Serialize(w => LogJson.Write(w, m))))
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"removed-log notifications after a reorganisation failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private void OnTransactionAdded(Transaction tx)
    {
        Subscription[] subs = Volatile.Read(ref _all);
        if (subs.Length == 0)
        {
            return;
        }

        try
        {
            byte[]? hash = null;
            byte[]? full = null;
            foreach (Subscription sub in subs)
            {
                if (sub.Kind != SubscriptionKind.NewPendingTransactions)
                {
                    continue;
                }

                byte[] json = sub.FullTransactions
                    ? full ??= Serialize(w => ChainJson.WriteTransaction(w, tx, null, null))
                    : hash ??= Serialize(w => w.WriteStringValue(Hex.Encode(tx.Hash.Bytes)));
                Send(sub, json);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The transaction is already in the pool; a notification bug must not turn that into an RPC error.
            Console.Error.WriteLine($"pending-transaction notifications failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private bool Send(Subscription sub, byte[] resultJson)
    {
        if (sub.Deliver(resultJson))
        {
            return true;
        }

        DropChannel(sub.Channel);
        return false;
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(512);
        using (Utf8JsonWriter w = new(buffer, WriterOptions))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
