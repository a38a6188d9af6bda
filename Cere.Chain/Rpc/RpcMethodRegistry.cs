using System.Text.Json;

namespace Cere.Chain.Rpc;

/// <summary>A method handler: reads its arguments and writes exactly one JSON value, the result.</summary>
/// <exception cref="RpcException">The error to return to the client.</exception>
public delegate void RpcHandler(RpcParams args, Utf8JsonWriter result, RpcCallContext context);

/// <summary>The JSON-RPC methods this node serves, by name. Filled at start-up, read-only afterwards.</summary>
public sealed class RpcMethodRegistry
{
    private readonly Dictionary<string, RpcHandler> _methods = new(StringComparer.Ordinal);

    /// <summary>Adds a method.</summary>
    /// <exception cref="InvalidOperationException">A method of that name is already registered.</exception>
    public void Register(string name, RpcHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_methods.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"RPC method {name} is registered twice");
        }
    }

    /// <summary>Finds a method by name.</summary>
    public bool TryGet(string name, out RpcHandler handler) => _methods.TryGetValue(name, out handler!);

    /// <summary>The registered names (for rpc_modules and diagnostics).</summary>
    public IReadOnlyCollection<string> Names => _methods.Keys;
}
