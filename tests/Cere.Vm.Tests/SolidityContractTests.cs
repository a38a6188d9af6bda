using System.Text.Json;
using Cere.Core;

namespace Cere.Vm.Tests;

/// <summary>
/// A contract compiled by solc-js (tests/e2e/solc-evm.mjs → Solidity/Bench.json) and run by our VM must return
/// the reference results that script computed independently (BigInt arithmetic, ethers' keccak256).
/// </summary>
[TestFixture]
public sealed class SolidityContractTests
{
    private static JsonElement Fixture()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Solidity", "Bench.json")));
        return doc.RootElement.Clone();
    }

    /// <summary>Each (function, n) call with its reference result.</summary>
    public static IEnumerable<TestCaseData> Calls()
    {
        foreach (JsonElement c in Fixture().GetProperty("calls").EnumerateArray())
        {
            yield return new TestCaseData(c.GetProperty("data").GetString(), c.GetProperty("expected").GetString())
                .SetName($"solc: Bench.{c.GetProperty("fn").GetString()}({c.GetProperty("n").GetInt32()})");
        }
    }

    private static Address Deploy(TestChain chain)
    {
        TransactionResult r = chain.Run(chain.Sign(null, Hex.Decode(Fixture().GetProperty("bytecode").GetString()!), gas: 1_000_000));
        Assert.That(r.Status, Is.EqualTo(EvmStatus.Success));
        return r.ContractAddress!.Value;
    }

    /// <summary>The call returns exactly the reference word.</summary>
    [TestCaseSource(nameof(Calls))]
    public void CallMatchesReference(string data, string expected)
    {
        using TestChain chain = new();
        Address bench = Deploy(chain);
        TransactionResult r = chain.Run(chain.Sign(bench, Hex.Decode(data), gas: 10_000_000));
        Assert.That(r.Status, Is.EqualTo(EvmStatus.Success));
        Assert.That(Hex.Encode(r.Output), Is.EqualTo(expected));
    }

    /// <summary>store(42) writes the mapping and emits Stored(sender, 42); store(0) reverts with Error("zero").</summary>
    [Test]
    public void StoreEmitsEventAndRevertsWithReason()
    {
        JsonElement store = Fixture().GetProperty("store");
        using TestChain chain = new();
        Address bench = Deploy(chain);

        TransactionResult ok = chain.Run(chain.Sign(bench, Hex.Decode(store.GetProperty("data").GetString()!)));
        Assert.That(ok.Status, Is.EqualTo(EvmStatus.Success));
        Assert.That(ok.Logs, Has.Length.EqualTo(1));
        Assert.That(ok.Logs[0].Topics[0].ToString(), Is.EqualTo(store.GetProperty("topic").GetString()));
        Assert.That(new UInt256(ok.Logs[0].Topics[1].Bytes), Is.EqualTo(EvmInterpreter.FromAddress(chain.Key.Address)));
        Assert.That(new UInt256(ok.Logs[0].Data), Is.EqualTo(new UInt256(42)));
        Assert.That(ok.Receipt.Bloom.MightContain(bench.Bytes), Is.True);

        byte[] query = new byte[36];
        Hex.Decode(store.GetProperty("storedOf").GetString()!).CopyTo(query, 0);
        chain.Key.Address.CopyTo(query.AsSpan(16));
        TransactionResult read = chain.Run(chain.Sign(bench, query));
        Assert.That(new UInt256(read.Output), Is.EqualTo(new UInt256(42)));

        TransactionResult bad = chain.Run(chain.Sign(bench, Hex.Decode(store.GetProperty("zero").GetString()!)));
        Assert.That(bad.Status, Is.EqualTo(EvmStatus.Revert));
        Assert.That(Hex.Encode(bad.Output), Is.EqualTo(store.GetProperty("revertReason").GetString()));
        Assert.That(bad.Logs, Is.Empty);
        Assert.That(bad.Receipt.Success, Is.False);
    }
}
