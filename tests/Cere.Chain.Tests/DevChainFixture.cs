using Cere.Chain.Blocks;
using Cere.Chain.Dev;
using Cere.Chain.Node;
using Cere.Core;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Storage.Db;
using Cere.Tests.Shared;

namespace Cere.Chain.Tests;

/// <summary>The dev genesis and keys from the repository's files, and signed transfers for tests.</summary>
public static class DevChainFixture
{
    /// <summary>The ten test-mnemonic keys.</summary>
    public static readonly PrivateKey[] Keys = DevAccounts.Derive(DevAccounts.TestMnemonic);

    /// <summary>genesis/dev.json as committed.</summary>
    public static Genesis Genesis() => Core.Chainspec.Genesis.Parse(File.ReadAllText(VectorFiles.RepositoryFile("genesis", "dev.json")));

    /// <summary>chainspec/dev.json as committed.</summary>
    public static ChainSpec Spec() => ChainSpec.Parse(File.ReadAllText(VectorFiles.RepositoryFile("chainspec", "dev.json")));

    /// <summary>A chain on <paramref name="db"/> (a new MemoryStore by default).</summary>
    public static Blockchain Open(IKeyValueStore? db = null) => Blockchain.Open(db ?? new MemoryStore(), Genesis(), Spec());

    /// <summary>A signed EIP-1559 transfer.</summary>
    public static Transaction Transfer1559(PrivateKey from, Address to, ulong nonce, UInt256 value, ulong tipGwei = 1, ulong maxFeeGwei = 3, ulong chainId = 4242, ulong gas = 21_000) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(tipGwei * 1_000_000_000UL),
            MaxFeePerGas = new UInt256(maxFeeGwei * 1_000_000_000UL),
            GasPrice = new UInt256(maxFeeGwei * 1_000_000_000UL),
            GasLimit = gas,
            To = to,
            Value = value,
        }, from);

    /// <summary>A signed EIP-155 legacy transfer.</summary>
    public static Transaction TransferLegacy(PrivateKey from, Address to, ulong nonce, UInt256 value, ulong gasPriceGwei = 2, ulong chainId = 4242) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.Legacy,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = new UInt256(gasPriceGwei * 1_000_000_000UL),
            MaxFeePerGas = new UInt256(gasPriceGwei * 1_000_000_000UL),
            MaxPriorityFeePerGas = new UInt256(gasPriceGwei * 1_000_000_000UL),
            GasLimit = 21_000,
            To = to,
            Value = value,
        }, from);

    /// <summary>The embedded genesis is the committed one (the binary and the repository agree).</summary>
    public static bool EmbeddedMatchesRepository() =>
        Blockchain.Open(new MemoryStore(), EmbeddedChainFiles.DevGenesis(), EmbeddedChainFiles.DevChainSpec()).Genesis.Hash == Open().Genesis.Hash;
}
