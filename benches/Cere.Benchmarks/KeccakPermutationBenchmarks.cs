using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using Cere.Core.Crypto;

namespace Cere.Benchmarks;

/// <summary>Keccak-f[1600] alone, one call per operation: the variants that this CPU can run, against each other.</summary>
[MedianColumn]
public class KeccakPermutationBenchmarks
{
    private KeccakState _state;

    /// <summary>A fixed non-zero state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < KeccakState.Lanes; i++)
        {
            _state[i] = 0x0123456789abcdefUL * (ulong)(i + 1);
        }
    }

    /// <summary>The scalar permutation (the one in use).</summary>
    [Benchmark(Baseline = true)]
    public void Scalar() => KeccakF1600.PermuteScalar(ref _state);

    /// <summary>The AVX2 permutation.</summary>
    [Benchmark]
    public void Avx2Variant()
    {
        if (!Avx2.IsSupported)
        {
            throw new PlatformNotSupportedException("this CPU has no AVX2");
        }

        KeccakF1600.PermuteAvx2(ref _state);
    }
}
