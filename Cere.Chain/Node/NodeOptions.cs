using System.Net;

namespace Cere.Chain.Node;

/// <summary>Settings of a running node, from the command line and an optional config file.</summary>
public sealed record NodeOptions
{
    /// <summary>Where the database lives.</summary>
    public required string DataDir { get; init; }

    /// <summary>The address JSON-RPC listens on (loopback unless told otherwise).</summary>
    public IPAddress RpcAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The JSON-RPC port (HTTP and WebSocket); 0 picks a free port.</summary>
    public int RpcPort { get; init; } = 8545;

    /// <summary>Seconds between dev blocks; 0 seals one block per arriving batch of transactions.</summary>
    public int DevPeriodSeconds { get; init; } = 1;

    /// <summary>The mnemonic the ten dev accounts are derived from.</summary>
    public string DevMnemonic { get; init; } = Dev.DevAccounts.TestMnemonic;

    /// <summary>Browser origins allowed by CORS (empty: none).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Host header values accepted (DNS-rebinding protection).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = ["localhost", "127.0.0.1", "[::1]"];
}
