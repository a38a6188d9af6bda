namespace Cere.Chain.Rpc;

/// <summary>JSON-RPC 2.0 error codes, with the Ethereum conventions of ethereum/execution-apis and geth.</summary>
public static class RpcErrorCodes
{
    /// <summary>Invalid JSON was received.</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a valid request object.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method does not exist or is not available.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Invalid method parameters.</summary>
    public const int InvalidParams = -32602;

    /// <summary>An internal error of the node.</summary>
    public const int InternalError = -32603;

    /// <summary>A server error the client can act on: nonce too low, insufficient funds, unknown block, …</summary>
    public const int ServerError = -32000;

    /// <summary>A request exceeds a limit (batch length, block range, response size).</summary>
    public const int LimitExceeded = -32005;

    /// <summary>Execution reverted; <c>data</c> holds the revert data (EIP-1474 / geth).</summary>
    public const int ExecutionReverted = 3;
}
