using Cere.Core.Transactions;

namespace Cere.Core.Blocks;

/// <summary>A block: its header and body (transactions, ommers, and withdrawals when the header has a withdrawals root).</summary>
public sealed class Block
{
    /// <summary>Creates a block.</summary>
    public Block(BlockHeader header, Transaction[] transactions, BlockHeader[]? ommers = null, Withdrawal[]? withdrawals = null)
    {
        Header = header ?? throw new ArgumentNullException(nameof(header));
        Transactions = transactions ?? throw new ArgumentNullException(nameof(transactions));
        Ommers = ommers ?? [];
        Withdrawals = withdrawals;
    }

    /// <summary>The header.</summary>
    public BlockHeader Header { get; }

    /// <summary>The transactions, in execution order.</summary>
    public Transaction[] Transactions { get; }

    /// <summary>Ommer headers (must be empty after the merge; parsed so that fixtures can reject them).</summary>
    public BlockHeader[] Ommers { get; }

    /// <summary>Withdrawals, present (possibly empty) from Shanghai on.</summary>
    public Withdrawal[]? Withdrawals { get; }

    /// <summary>The block hash (the header's).</summary>
    public Hash256 Hash => Header.Hash;

    /// <summary>The block number.</summary>
    public ulong Number => Header.Number;
}
