namespace Cere.Consensus.Simulation;

/// <summary>SplitMix64: a tiny seeded generator whose sequence is fixed by this code, not by the runtime version (so a seed replays forever).</summary>
public sealed class SimRandom
{
    private ulong _state;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public SimRandom(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>).</summary>
    public int Next(int bound) => bound <= 1 ? 0 : (int)(NextUInt64() % (ulong)bound);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Range(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min + 1));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>A generator for a sub-stream (so adding draws in one place does not shift another).</summary>
    public SimRandom Fork(ulong salt) => new(NextUInt64() ^ (salt * 0xD1B54A32D192ED03UL));
}
