using System.Text.Json;
using Cere.Chain.Logs;
using Cere.Chain.Rpc.Filters;
using Cere.Chain.Rpc.Subscriptions;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_subscribe / eth_unsubscribe (WebSocket only): newHeads, logs (with a filter), newPendingTransactions.</summary>
public static class EthSubscribeModule
{
    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, SubscriptionHub hub)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(hub);
        registry.Register("eth_subscribe", (args, w, context) =>
        {
            if (context.PushChannel is null)
            {
                throw new RpcException(RpcErrorCodes.MethodNotFound, "notifications not supported");
            }

            args.ExpectCount(1, 2);
            JsonElement name = args[0];
            if (name.ValueKind != JsonValueKind.String)
            {
                throw RpcException.InvalidArgument(0, "subscription name must be a string");
            }

            string id;
            switch (name.GetString())
            {
                case "newHeads":
                    args.ExpectCount(1, 1);
                    id = hub.Subscribe(context, SubscriptionKind.NewHeads, LogFilter.Any, false);
                    break;
                case "logs":
                    // A range or block hash in the filter is validated and ignored: a subscription sees new logs only.
                    LogFilterRequest request = LogFilterRequest.Parse(args, 1);
                    id = hub.Subscribe(context, SubscriptionKind.Logs, request.Filter, false);
                    break;
                case "newPendingTransactions":
                    id = hub.Subscribe(context, SubscriptionKind.NewPendingTransactions, LogFilter.Any, args.GetBool(1, false));
                    break;
                default:
                    throw new RpcException(RpcErrorCodes.MethodNotFound, $"no \"{name.GetString()}\" subscription in eth namespace");
            }

            w.WriteStringValue(id);
        });
        registry.Register("eth_unsubscribe", (args, w, context) =>
        {
            if (context.PushChannel is null)
            {
                throw new RpcException(RpcErrorCodes.MethodNotFound, "notifications not supported");
            }

            args.ExpectCount(1, 1);
            JsonElement id = args[0];
            if (id.ValueKind != JsonValueKind.String)
            {
                throw RpcException.InvalidArgument(0, "subscription id must be a string");
            }

            if (!hub.Unsubscribe(context, id.GetString()!))
            {
                throw new RpcException(RpcErrorCodes.ServerError, "subscription not found");
            }

            w.WriteBooleanValue(true);
        });
    }
}
