using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cere.Core.Crypto;

namespace Cere.Benchmarks;

/// <summary>
/// Keccak-256 against .NET's <see cref="SHA3_256"/> (OpenSSL underneath): the same Keccak-f[1600] permutation and
/// rate, so the ratio measures our permutation and call overhead against OpenSSL's assembly.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class KeccakBenchmarks
{
    private byte[] _input = [];
    private readonly byte[] _output = new byte[32];

    /// <summary>Message length in bytes: a hash or key (32), one rate block (136), a typical tx or node (1 KiB), a large item (4 KiB).</summary>
    [Params(32, 136, 1024, 4096)]
    public int Size { get; set; }

    /// <summary>Fills the input with fixed pseudo-random bytes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(42).NextBytes(_input);
    }

    /// <summary>The reference: SHA3-256 through OpenSSL.</summary>
    [Benchmark(Baseline = true)]
    public void Sha3_256_OpenSsl() => SHA3_256.HashData(_input, _output);

    /// <summary>Ours, one-shot.</summary>
    [Benchmark]
    public void Keccak256_Hash() => Keccak256.Hash(_input, _output);

    /// <summary>Ours, incremental, fed in one piece.</summary>
    [Benchmark]
    public void Keccak256_Hasher()
    {
        KeccakHasher hasher = default;
        hasher.Update(_input);
        hasher.Finish(_output);
    }
}
