using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Storage.Db;
using Cere.Storage.State;

namespace Cere.Vm.Tests;

/// <summary>A fresh in-memory state with one funded key, and helpers to sign and run transactions against it.</summary>
internal sealed class TestChain : IDisposable
{
    private readonly MemoryStore _db = new();

    public TestChain()
    {
        State = WorldState.Open(_db, Hash256.EmptyTrieRoot);
        Key = new PrivateKey(Hex.Decode("0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"));
        State.AddBalance(Key.Address, UInt256.Parse("1000000000000000000000"));
        State.FinalizeTransaction();
        State.Commit(0);
        Processor = new TransactionProcessor(State, Block);
    }

    public WorldState State { get; }

    public PrivateKey Key { get; }

    public BlockEnvironment Block { get; } = new()
    {
        Coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"),
        Number = 1,
        Timestamp = 1000,
        GasLimit = 30_000_000,
        BaseFee = 7,
        ChainId = 1,
    };

    public TransactionProcessor Processor { get; }

    public Transaction Sign(Address? to, byte[] data, ulong gas = 1_000_000, UInt256 value = default, ulong? nonce = null, UInt256? maxFee = null) =>
        TransactionSigner.Sign(
            new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = 1,
                Nonce = nonce ?? State.GetNonce(Key.Address),
                MaxFeePerGas = maxFee ?? 100,
                GasPrice = maxFee ?? 100,
                MaxPriorityFeePerGas = 2,
                GasLimit = gas,
                To = to,
                Value = value,
                Data = data,
            },
            Key);

    public TransactionResult Run(Transaction tx) => EvmThread.Run(() => Processor.Execute(tx));

    public void Dispose() => _db.Dispose();
}
