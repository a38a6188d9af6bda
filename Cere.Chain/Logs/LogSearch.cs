using Cere.Chain.Blocks;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Receipts;

namespace Cere.Chain.Logs;

/// <summary>
/// Finds the logs matching a <see cref="LogFilter"/> in a range of canonical blocks: per block the
/// <see cref="LogIndex"/> digest (or, without one, the header's bloom) decides whether its receipts are read at all.
/// </summary>
public sealed class LogSearch
{
    private readonly Blockchain _chain;

    /// <summary>Creates a search over <paramref name="chain"/>.</summary>
    public LogSearch(Blockchain chain) => _chain = chain ?? throw new ArgumentNullException(nameof(chain));

    /// <summary>
    /// Appends the matching logs of blocks <paramref name="from"/>..<paramref name="to"/> (inclusive, canonical) to
    /// <paramref name="into"/> in chain order; stops once it holds more than <paramref name="maxResults"/>.
    /// </summary>
    /// <returns>False when the search stopped because the results passed <paramref name="maxResults"/>.</returns>
    public bool Find(LogFilter filter, ulong from, ulong to, int maxResults, List<MatchedLog> into)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(into);
        for (ulong n = from; n <= to; n++)
        {
            byte[]? digest = LogIndex.Read(_chain.Db, n);
            Hash256 hash;
            if (digest is null)
            {
                // Not indexed (genesis, or stored before the index existed): the header's bloom decides.
                BlockHeader? header = _chain.HeaderByNumber(n);
                if (header is null || !filter.MayMatch(header.LogsBloom))
                {
                    continue;
                }

                hash = header.Hash;
            }
            else if (!LogIndex.MayMatch(digest, filter, out hash))
            {
                continue;
            }

            Block? block = _chain.Blocks.ReadBlock(hash);
            Receipt[]? receipts = block is null ? null : _chain.Blocks.ReadReceipts(hash);
            if (block is not null && receipts is not null)
            {
                Collect(filter, block, receipts, into);
            }

            if (into.Count > maxResults)
            {
                return false;
            }

            if (n == ulong.MaxValue)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>
    /// Appends the logs of one block that match <paramref name="filter"/> to <paramref name="into"/>, marked
    /// <paramref name="removed"/> for a block a reorganisation dropped.
    /// </summary>
    public static void Collect(LogFilter filter, Block block, IReadOnlyList<Receipt> receipts, List<MatchedLog> into, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(into);
        int logIndex = 0;
        int txCount = Math.Min(receipts.Count, block.Transactions.Length);
        for (int tx = 0; tx < txCount; tx++)
        {
            LogEntry[] logs = receipts[tx].Logs;
            for (int i = 0; i < logs.Length; i++, logIndex++)
            {
                if (filter.Matches(logs[i]))
                {
                    into.Add(new MatchedLog(logs[i], block.Header, block.Transactions[tx].Hash, tx, logIndex, removed));
                }
            }
        }
    }

    /// <summary>
    /// The blocks a reorganisation took out of the canonical chain: from <paramref name="oldHead"/> back to (not
    /// including) <paramref name="ancestor"/>, oldest first, with their receipts (they stay stored by hash).
    /// </summary>
    public static List<(Block Block, Receipt[] Receipts)> DroppedBlocks(Blockchain chain, BlockHeader oldHead, BlockHeader ancestor)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(oldHead);
        ArgumentNullException.ThrowIfNull(ancestor);
        List<(Block, Receipt[])> dropped = [];
        Hash256 hash = oldHead.Hash;
        for (ulong n = oldHead.Number; n > ancestor.Number; n--)
        {
            Block? block = chain.Blocks.ReadBlock(hash);
            Receipt[]? receipts = chain.Blocks.ReadReceipts(hash);
            if (block is null || receipts is null)
            {
                break; // not stored: nothing to report for it or below
            }

            dropped.Add((block, receipts));
            hash = block.Header.ParentHash;
        }

        dropped.Reverse();
        return dropped;
    }
}
