namespace Cere.Chain.Blocks;

/// <summary>
/// When the Ethereum forks whose block format this chain follows take effect, by block timestamp (Shanghai: EIP-4895
/// withdrawals; Cancun: EIP-4844 blob-gas fields and the EIP-4788 beacon root). Null: never.
/// </summary>
/// <remarks>Execution always follows Cancun's EVM rules; the schedule decides the header fields and block-level steps.</remarks>
public sealed record ForkSchedule(ulong? ShanghaiTime, ulong? CancunTime)
{
    /// <summary>Shanghai and Cancun from genesis: Cere's chains and Ethereum's Cancun fixtures.</summary>
    public static readonly ForkSchedule Cancun = new(0, 0);

    /// <summary>True when a block at <paramref name="timestamp"/> follows Shanghai (carries withdrawals).</summary>
    public bool IsShanghai(ulong timestamp) => ShanghaiTime is ulong t && timestamp >= t;

    /// <summary>True when a block at <paramref name="timestamp"/> follows Cancun (blob-gas fields, beacon root).</summary>
    public bool IsCancun(ulong timestamp) => CancunTime is ulong t && timestamp >= t;
}
