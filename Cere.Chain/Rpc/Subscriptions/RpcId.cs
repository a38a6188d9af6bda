using System.Security.Cryptography;

namespace Cere.Chain.Rpc.Subscriptions;

/// <summary>Ids for subscriptions and filters: 0x and 32 hex digits of randomness, unguessable by other clients (as geth's).</summary>
public static class RpcId
{
    /// <summary>A fresh id.</summary>
    public static string New()
    {
        Span<byte> b = stackalloc byte[16];
        RandomNumberGenerator.Fill(b);
        return "0x" + Convert.ToHexStringLower(b);
    }
}
