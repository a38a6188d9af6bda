namespace Cere.Chain.Rpc;

/// <summary>An error returned to the JSON-RPC client as <c>{"code", "message", "data"?}</c>.</summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the error.</summary>
    public RpcException(int code, string message, string? data = null)
        : base(message)
    {
        Code = code;
        Data0x = data;
    }

    /// <summary>The JSON-RPC error code (see <see cref="RpcErrorCodes"/>).</summary>
    public int Code { get; }

    /// <summary>Optional 0x-hex data (revert data for <see cref="RpcErrorCodes.ExecutionReverted"/>).</summary>
    public string? Data0x { get; }

    /// <summary>An invalid-params error in geth's wording: "invalid argument N: …".</summary>
    public static RpcException InvalidArgument(int index, string detail) =>
        new(RpcErrorCodes.InvalidParams, $"invalid argument {index}: {detail}");
}
