using BenchmarkDotNet.Running;

namespace Cere.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benches/Cere.Benchmarks -- --filter '*Keccak*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks the command line selects.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
