using Cere.Chain.Cli;

namespace Cere.Chain.Rpc.Modules;

/// <summary>web3_clientVersion, web3_sha3, net_version, net_listening, net_peerCount.</summary>
public static class NetModule
{
    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, ulong chainId)
    {
        string version = $"cere-node/v{NodeCommandLine.Version}/{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}/dotnet{Environment.Version}";
        string netVersion = chainId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        registry.Register("web3_clientVersion", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStringValue(version);
        });
        registry.Register("web3_sha3", (args, w, _) =>
        {
            args.ExpectCount(1, 1);
            w.WriteStringValue(Core.Hex.Encode(Core.Crypto.Keccak256.Compute(args.GetData(0)).Bytes));
        });
        registry.Register("net_version", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteStringValue(netVersion);
        });
        registry.Register("net_listening", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            w.WriteBooleanValue(true);
        });
        registry.Register("net_peerCount", (args, w, _) =>
        {
            args.ExpectCount(0, 0);
            RpcJson.Quantity(w, 0);
        });
    }
}
