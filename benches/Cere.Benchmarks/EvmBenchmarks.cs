using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Vm;
using Cere.Vm.Precompiles;

namespace Cere.Benchmarks;

/// <summary>
/// The interpreter alone on in-memory state, running issue 4's compute contract (solc 0.8.37, cancun, optimizer 200:
/// tests/Cere.Vm.Tests/Solidity/Bench.json): arith(60000), hash(20000), mem(60000). The references (evmone 3.26 ms,
/// 10.6 ms, 15.6 ms on a like machine) are quoted in benches/results/evm.md; they cannot run in this process.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[Q1Column]
[MedianColumn]
[Q3Column]
public class EvmComputeBenchmarks
{
    private static readonly Address Sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address Bench = Address.Parse("0x1000000000000000000000000000000000000b1c");
    private readonly BlockEnvironment _block = new() { Number = 1, GasLimit = 1_000_000_000, ChainId = 1 };
    private MemoryStore _db = null!;
    private WorldState _state = null!;
    private byte[] _arith = [], _hash = [], _mem = [];

    [GlobalSetup]
    public void Setup()
    {
        string json = File.ReadAllText(FindBenchJson());
        using JsonDocument doc = JsonDocument.Parse(json);
        byte[] creation = Hex.Decode(doc.RootElement.GetProperty("bytecode").GetString()!);
        _db = new MemoryStore();
        _state = WorldState.Open(_db, Hash256.EmptyTrieRoot);
        _state.AddBalance(Sender, UInt256.Parse("1000000000000000000"));

        // Run the creation code once to get the runtime code.
        CallResult deployed = new EvmInterpreter(_state, _block, new TxSubstate(), Sender, UInt256.Zero, null, null)
            .Create(Sender, Bench, creation, 10_000_000, UInt256.Zero, 0, 0);
        if (!deployed.IsSuccess)
        {
            throw new InvalidOperationException("Bench contract did not deploy: " + deployed.Status);
        }

        _state.FinalizeTransaction();
        _arith = CallData(0x921f6d4c, 60000); // arith(uint256)
        _hash = CallData(0xb189fd4c, 20000);  // hash(uint256)
        _mem = CallData(0x907fc6ba, 60000);   // mem(uint256)
        foreach (byte[] d in new[] { _arith, _hash, _mem })
        {
            if (!Run(d).IsSuccess)
            {
                throw new InvalidOperationException("benchmark call failed");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    [Benchmark(Description = "arith(60000)")]
    public CallResult Arith() => Run(_arith);

    [Benchmark(Description = "hash(20000)")]
    public CallResult Hash() => Run(_hash);

    [Benchmark(Description = "mem(60000)")]
    public CallResult Mem() => Run(_mem);

    private CallResult Run(byte[] data) =>
        new EvmInterpreter(_state, _block, new TxSubstate(), Sender, UInt256.Zero, null, null)
            .Call(0, Sender, Bench, Bench, UInt256.Zero, UInt256.Zero, data, 500_000_000, false, 0);

    private static byte[] CallData(uint selector, ulong n)
    {
        byte[] d = new byte[36];
        d[0] = (byte)(selector >> 24);
        d[1] = (byte)(selector >> 16);
        d[2] = (byte)(selector >> 8);
        d[3] = (byte)selector;
        new UInt256(n).WriteBigEndian(d.AsSpan(4));
        return d;
    }

    internal static string FindBenchJson([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        // BenchmarkDotNet runs a copy of the binary from its own folder, so search from this source file too.
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisFile) ?? "" })
        for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "tests", "Cere.Vm.Tests", "Solidity", "Bench.json");
            if (File.Exists(p))
            {
                return p;
            }
        }

        string fromCwd = Path.Combine(Directory.GetCurrentDirectory(), "tests", "Cere.Vm.Tests", "Solidity", "Bench.json");
        return File.Exists(fromCwd) ? fromCwd : throw new FileNotFoundException("tests/Cere.Vm.Tests/Solidity/Bench.json not found above the benchmark binary");
    }
}

/// <summary>The precompile mix of issue 4: ecrecover, sha256 (1 KiB), modexp (256-byte operands), one bn256 pairing pair.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class EvmPrecompileBenchmarks
{
    private byte[] _ecrecover = [], _sha = [], _modexp = [], _pairing = [];

    [GlobalSetup]
    public void Setup()
    {
        _ecrecover = Hex.Decode("0x18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c000000000000000000000000000000000000000000000000000000000000001c73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75feeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
        _sha = new byte[1024];
        byte[] m = new byte[96 + 256 * 3];
        m[31] = 1; m[30] = 0; // base length 256
        m[63] = 0; m[62] = 1; // exponent length 256
        m[95] = 0; m[94] = 1; // modulus length 256
        for (int i = 96; i < m.Length; i++)
        {
            m[i] = (byte)(i * 7 + 3);
        }

        m[31] = 0; m[30] = 1;
        _modexp = m;

        // One pair: the G1 generator and the G2 generator (EIP-197 encoding).
        _pairing = Hex.Decode("0x" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
            "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
            "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
            "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
    }

    [Benchmark]
    public CallResult EcRecover() => PrecompileSet.Run(1, _ecrecover, 10_000_000);

    [Benchmark(Description = "Sha256(1KiB)")]
    public CallResult Sha256() => PrecompileSet.Run(2, _sha, 10_000_000);

    [Benchmark(Description = "ModExp(256B)")]
    public CallResult ModExp() => PrecompileSet.Run(5, _modexp, 100_000_000);

    [Benchmark(Description = "Bn256Pairing(1 pair)")]
    public CallResult Pairing() => PrecompileSet.Run(8, _pairing, 10_000_000);
}
