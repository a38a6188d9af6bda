using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cere.Core;
using Cere.Storage.Db;
using Cere.Storage.State;
using Cere.Vm;
using Cere.Vm.Precompiles;

namespace Cere.Benchmarks;

/// <summary>
/// Issue 4 (a): a block's worth of ERC-20 transfers through the interpreter alone on in-memory state. The token is
/// tests/e2e/contracts/Erc20.sol (solc-js 0.8.37, cancun, optimizer 200; artefact in Contracts/Erc20.json); 2,000
/// holders each hold tokens, and every transfer moves 1 unit between two of them (cold slots, non-zero to non-zero,
/// a Transfer log), one transaction substate and <see cref="WorldState.FinalizeTransaction"/> per transfer. The
/// number of transfers is what fits in 30M gas counting 21,000 intrinsic gas and the calldata cost per transaction.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class Erc20BlockBenchmarks
{
    /// <summary>The block gas the transfers fill.</summary>
    public const long BlockGas = 30_000_000;

    private const int Holders = 2_000;
    private static readonly Address Deployer = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address Token = Address.Parse("0x1000000000000000000000000000000000000e20");
    private readonly BlockEnvironment _block = new() { Number = 1, GasLimit = BlockGas, ChainId = 1 };
    private MemoryStore _db = null!;
    private WorldState _state = null!;
    private Address[] _holders = [];
    private Address[] _senders = [];
    private byte[][] _calls = [];

    /// <summary>Transfers in one block (set up from the measured gas of one transfer).</summary>
    public int Transfers { get; private set; }

    /// <summary>Execution gas of one transfer (interpreter only, without the intrinsic 21,000).</summary>
    public long ExecutionGasPerTransfer { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(FindArtefact()));
        byte[] creation = Hex.Decode(doc.RootElement.GetProperty("bytecode").GetString()!);
        _db = new MemoryStore();
        _state = WorldState.Open(_db, Hash256.EmptyTrieRoot);
        _state.AddBalance(Deployer, UInt256.Parse("1000000000000000000"));

        UInt256 supply = UInt256.Parse("1000000000000000000000000000000"); // 10^30
        byte[] initCode = [.. creation, .. ConstructorArguments("Bench", "BNC", supply)];
        CallResult deployed = NewInterpreter(Deployer).Create(Deployer, Token, initCode, 10_000_000, UInt256.Zero, 0, 0);
        if (!deployed.IsSuccess)
        {
            throw new InvalidOperationException("ERC-20 did not deploy: " + deployed.Status);
        }

        _state.FinalizeTransaction();
        _holders = new Address[Holders];
        UInt256 share = UInt256.Parse("1000000000000000000000000"); // 10^24 each
        for (int i = 0; i < Holders; i++)
        {
            byte[] a = new byte[20];
            a[0] = 0x77;
            a[16] = (byte)(i >> 24);
            a[17] = (byte)(i >> 16);
            a[18] = (byte)(i >> 8);
            a[19] = (byte)i;
            _holders[i] = new Address(a);
            Transfer(Deployer, TransferCall(_holders[i], share));
        }

        // One measured transfer fixes the block size: what fits in 30M gas with intrinsic and calldata costs.
        byte[] probe = TransferCall(_holders[1], UInt256.One);
        ExecutionGasPerTransfer = Transfer(_holders[0], probe);
        long txGas = 21_000 + CalldataGas(probe) + ExecutionGasPerTransfer;
        Transfers = (int)(BlockGas / txGas);

        _senders = new Address[Transfers];
        _calls = new byte[Transfers][];
        for (int i = 0; i < Transfers; i++)
        {
            _senders[i] = _holders[i % Holders];
            _calls[i] = TransferCall(_holders[((i * 7) + 3) % Holders], UInt256.One);
        }

        if (Block() <= 0)
        {
            throw new InvalidOperationException("the block did not run");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _db.Dispose();

    /// <summary>Runs the block: every transfer as its own transaction frame; returns the execution gas used.</summary>
    [Benchmark(Description = "ERC-20 transfers, one 30M-gas block")]
    public long Block()
    {
        long used = 0;
        for (int i = 0; i < _calls.Length; i++)
        {
            used += Transfer(_senders[i], _calls[i]);
        }

        return used;
    }

    private long Transfer(in Address from, byte[] data)
    {
        const long gasLimit = 200_000;
        TxSubstate sub = new();

        // EIP-2929 / EIP-3651: the sender, the recipient, the precompiles and the coinbase start warm.
        sub.WarmAccount(from);
        sub.WarmAccount(Token);
        for (int p = 1; p <= PrecompileSet.Count; p++)
        {
            sub.WarmAccount(PrecompileSet.AddressOf(p));
        }

        sub.WarmAccount(_block.Coinbase);
        CallResult r = new EvmInterpreter(_state, _block, sub, from, UInt256.Zero, null, null)
            .Call(0, from, Token, Token, UInt256.Zero, UInt256.Zero, data, gasLimit, false, 0);
        _state.FinalizeTransaction();
        if (!r.IsSuccess)
        {
            throw new InvalidOperationException("transfer failed: " + r.Status);
        }

        return gasLimit - r.GasLeft;
    }

    private EvmInterpreter NewInterpreter(in Address origin) => new(_state, _block, new TxSubstate(), origin, UInt256.Zero, null, null);

    private static long CalldataGas(ReadOnlySpan<byte> data)
    {
        long gas = 0;
        foreach (byte b in data)
        {
            gas += b == 0 ? 4 : 16; // EIP-2028
        }

        return gas;
    }

    /// <summary>transfer(address,uint256) calldata.</summary>
    private static byte[] TransferCall(in Address to, in UInt256 amount)
    {
        byte[] d = new byte[4 + 64];
        d[0] = 0xa9;
        d[1] = 0x05;
        d[2] = 0x9c;
        d[3] = 0xbb;
        to.CopyTo(d.AsSpan(4 + 12, 20));
        amount.WriteBigEndian(d.AsSpan(4 + 32, 32));
        return d;
    }

    /// <summary>ABI encoding of (string, string, uint256).</summary>
    private static byte[] ConstructorArguments(string name, string symbol, in UInt256 supply)
    {
        byte[] n = System.Text.Encoding.UTF8.GetBytes(name);
        byte[] s = System.Text.Encoding.UTF8.GetBytes(symbol);
        int nWords = (n.Length + 31) / 32, sWords = (s.Length + 31) / 32;
        byte[] d = new byte[(3 + 1 + nWords + 1 + sWords) * 32];
        new UInt256(96).WriteBigEndian(d.AsSpan(0, 32));
        new UInt256((ulong)(96 + ((1 + nWords) * 32))).WriteBigEndian(d.AsSpan(32, 32));
        supply.WriteBigEndian(d.AsSpan(64, 32));
        new UInt256((ulong)n.Length).WriteBigEndian(d.AsSpan(96, 32));
        n.CopyTo(d.AsSpan(128));
        int sAt = 128 + (nWords * 32);
        new UInt256((ulong)s.Length).WriteBigEndian(d.AsSpan(sAt, 32));
        s.CopyTo(d.AsSpan(sAt + 32));
        return d;
    }

    private static string FindArtefact([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        // BenchmarkDotNet runs a copy of the binary from its own folder, so search from this source file too.
        foreach (string start in new[] { Path.GetDirectoryName(thisFile) ?? "", AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string p = Path.Combine(d.FullName, "benches", "Cere.Benchmarks", "Contracts", "Erc20.json");
                if (File.Exists(p))
                {
                    return p;
                }

                p = Path.Combine(d.FullName, "Contracts", "Erc20.json");
                if (File.Exists(p))
                {
                    return p;
                }
            }
        }

        throw new FileNotFoundException("benches/Cere.Benchmarks/Contracts/Erc20.json not found above the benchmark binary");
    }
}
