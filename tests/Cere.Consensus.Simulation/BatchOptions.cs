namespace Cere.Consensus.Simulation;

/// <summary>A batch of seeded runs as <c>scripts/simulate</c> describes it.</summary>
public sealed record BatchOptions
{
    /// <summary>Validators per run.</summary>
    public int Validators { get; init; } = 4;

    /// <summary>Faulty validators per run (their behaviours are drawn per run).</summary>
    public int Byzantine { get; init; } = 1;

    /// <summary>Number of runs; run i uses seed <see cref="Seed"/> + i.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>The first seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Message loss probability.</summary>
    public double Drop { get; init; }

    /// <summary>Partition the network (and heal it) in every run.</summary>
    public bool Partitions { get; init; }

    /// <summary>Heights each run must decide.</summary>
    public int Heights { get; init; } = 4;

    /// <summary>A deliberately broken algorithm (for showing that the harness catches it); the default is the correct one.</summary>
    internal Machine.MachineVariant Variant { get; init; }

    /// <summary>Largest message delay, ms.</summary>
    public long MaxDelayMs { get; init; } = 60;

    /// <summary>Runs executed in parallel (each run is single-threaded and deterministic).</summary>
    public int Threads { get; init; } = 1;
}
