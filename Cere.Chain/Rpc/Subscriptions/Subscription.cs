using System.Text;
using Cere.Chain.Logs;

namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>
/// One eth_subscribe subscription on one connection. Until <see cref="Activate"/> (after its id was queued to the
/// client) notifications are held back, so the client never sees a notification for an id it does not know yet.
/// </summary>
public sealed class Subscription
{
    // Bounded like a send queue: a subscription is activated within one call's processing, so this only fills
    // when thousands of events arrive during that call.
    private const int MaxHeld = 1024;

    private readonly Lock _lock = new();
    private readonly byte[] _prefix;
    private List<byte[]>? _held = [];

    /// <summary>Creates an inactive subscription.</summary>
    public Subscription(string id, IRpcPushChannel channel, SubscriptionKind kind, LogFilter filter, bool fullTransactions)
    {
        Id = id;
        Channel = channel;
        Kind = kind;
        Filter = filter;
        FullTransactions = fullTransactions;
        _prefix = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{{\"subscription\":\"{id}\",\"result\":");
    }

    /// <summary>The id the client was given.</summary>
    public string Id { get; }

    /// <summary>The connection it delivers to.</summary>
    public IRpcPushChannel Channel { get; }

    /// <summary>What it delivers.</summary>
    public SubscriptionKind Kind { get; }

    /// <summary>For <see cref="SubscriptionKind.Logs"/>: which logs.</summary>
    public LogFilter Filter { get; }

    /// <summary>For <see cref="SubscriptionKind.NewPendingTransactions"/>: whole transactions instead of hashes.</summary>
    public bool FullTransactions { get; }

    /// <summary>Sends (or holds, while inactive) a notification whose result is <paramref name="resultJson"/>.</summary>
    /// <returns>False when the connection refused it (closed, or its queue is full).</returns>
    public bool Deliver(ReadOnlySpan<byte> resultJson)
    {
        byte[] message = new byte[_prefix.Length + resultJson.Length + 2];
        _prefix.CopyTo(message, 0);
        resultJson.CopyTo(message.AsSpan(_prefix.Length));
        message[^2] = (byte)'}';
        message[^1] = (byte)'}';
        lock (_lock)
        {
            if (_held is not null)
            {
                if (_held.Count >= MaxHeld)
                {
                    return false;
                }

                _held.Add(message);
                return true;
            }

            return Channel.TryPush(message);
        }
    }

    /// <summary>Starts delivering: sends what was held, then every later notification directly.</summary>
    /// <returns>False when the connection refused a held notification.</returns>
    public bool Activate()
    {
        lock (_lock)
        {
            List<byte[]>? held = _held;
            _held = null;
            if (held is null)
            {
                return true;
            }

            foreach (byte[] m in held)
            {
                if (!Channel.TryPush(m))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
