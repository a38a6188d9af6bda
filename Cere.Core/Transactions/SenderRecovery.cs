namespace Cere.Core.Transactions;

/// <summary>Recovers the senders of many transactions across all cores (block import, pool batches).</summary>
public static class SenderRecovery
{
    /// <summary>
    /// Recovers and caches the sender of every transaction in parallel. Afterwards each
    /// <see cref="Transaction.Sender"/> is a cached read. Returns false if any fails to recover.
    /// </summary>
    public static bool RecoverAll(IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (transactions.Count < 4)
        {
            bool ok = true;
            for (int i = 0; i < transactions.Count; i++)
            {
                ok &= transactions[i].Sender is not null;
            }

            return ok;
        }

        int failed = 0;
        Parallel.For(0, transactions.Count, i =>
        {
            if (transactions[i].Sender is null)
            {
                Interlocked.Exchange(ref failed, 1);
            }
        });
        return failed == 0;
    }
}
