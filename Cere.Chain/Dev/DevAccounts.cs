using Cere.Core;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;

namespace Cere.Chain.Dev;

/// <summary>The dev chain's pre-funded accounts: BIP-39 mnemonic, keys at m/44'/60'/0'/0/i, 10,000 CERE each.</summary>
public static class DevAccounts
{
    /// <summary>The mnemonic every Ethereum dev tool uses (hardhat, anvil, ganache).</summary>
    public const string TestMnemonic = "test test test test test test test test test test test junk";

    /// <summary>How many accounts are derived.</summary>
    public const int Count = 10;

    /// <summary>The balance of each account: 10,000 CERE in wei.</summary>
    public static readonly UInt256 Balance = UInt256.Parse("10000000000000000000000");

    /// <summary>The <see cref="Count"/> keys derived from <paramref name="mnemonic"/>.</summary>
    public static PrivateKey[] Derive(string mnemonic)
    {
        PrivateKey[] keys = new PrivateKey[Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = HdKeyDerivation.DeriveAccount(mnemonic, i);
        }

        return keys;
    }

    /// <summary><paramref name="genesis"/> with its allocation replaced by <paramref name="keys"/>' accounts at <see cref="Balance"/>.</summary>
    public static Genesis FundedGenesis(Genesis genesis, PrivateKey[] keys)
    {
        Dictionary<Address, GenesisAccount> alloc = new();
        foreach (PrivateKey k in keys)
        {
            alloc[k.Address] = new GenesisAccount(Balance, 0, [], new Dictionary<UInt256, UInt256>());
        }

        return new Genesis
        {
            ChainId = genesis.ChainId,
            Timestamp = genesis.Timestamp,
            GasLimit = genesis.GasLimit,
            BaseFeePerGas = genesis.BaseFeePerGas,
            ExtraData = genesis.ExtraData,
            Coinbase = genesis.Coinbase,
            MixHash = genesis.MixHash,
            Alloc = alloc,
            Validators = genesis.Validators,
        };
    }

    /// <summary>The anvil-style banner: accounts, keys, mnemonic and how to connect.</summary>
    public static void Print(TextWriter o, PrivateKey[] keys, string mnemonic, ulong chainId, Uri rpcUrl)
    {
        o.WriteLine();
        o.WriteLine("Available Accounts");
        o.WriteLine("==================");
        for (int i = 0; i < keys.Length; i++)
        {
            o.WriteLine($"({i}) {keys[i].Address.ToChecksumString()} (10000 CERE)");
        }

        o.WriteLine();
        o.WriteLine("Private Keys");
        o.WriteLine("==================");
        for (int i = 0; i < keys.Length; i++)
        {
            o.WriteLine($"({i}) {Hex.Encode(keys[i].ToArray())}");
        }

        o.WriteLine();
        o.WriteLine("Wallet");
        o.WriteLine("==================");
        o.WriteLine($"Mnemonic:          {mnemonic}");
        o.WriteLine("Derivation path:   m/44'/60'/0'/0/");
        o.WriteLine();
        o.WriteLine($"Chain ID:          {chainId}");
        string ws = rpcUrl.ToString().Replace("http://", "ws://", StringComparison.Ordinal);
        o.WriteLine($"Listening on {rpcUrl} (HTTP) and {ws} (WebSocket)");
        o.WriteLine($"Connect: new ethers.JsonRpcProvider(\"{rpcUrl}\")  |  MetaMask: RPC {rpcUrl}, chain id {chainId}");
        o.WriteLine();
    }
}
