namespace Cere.Chain.Tests.BlockchainTests;

/// <summary>
/// Maps a fixture's <c>expectException</c> names (execution-spec-tests' BlockException / TransactionException) to
/// the rule our <see cref="Blocks.InvalidBlockException"/> message names, so that a block rejected for some other
/// reason does not count as a pass.
/// </summary>
internal static class RejectionReasons
{
    private static readonly Dictionary<string, string[]> BlockRules = new(StringComparer.Ordinal)
    {
        ["EXTRA_DATA_TOO_BIG"] = ["extra data"],
        ["GASLIMIT_TOO_BIG"] = ["gas limit"],
        ["GAS_USED_OVERFLOW"] = ["gas used"],
        ["IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS"] = ["difficulty"],
        ["IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS"] = ["ommers"],
        ["INVALID_BASEFEE_PER_GAS"] = ["base fee"],
        ["INVALID_BLOCK_NUMBER"] = ["block number"],
        ["INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT"] = ["timestamp"],
        ["INVALID_GASLIMIT"] = ["gas limit"],
        ["INVALID_GAS_USED"] = ["gas used"],
        ["INVALID_LOG_BLOOM"] = ["logs bloom"],
        ["INVALID_RECEIPTS_ROOT"] = ["receipts root"],
        ["INVALID_STATE_ROOT"] = ["state root"],
        ["INVALID_TRANSACTIONS_ROOT"] = ["transactions root"],
        ["INVALID_WITHDRAWALS_ROOT"] = ["withdrawals root"],
        ["RLP_STRUCTURES_ENCODING"] = ["malformed block RLP", "withdrawals list"],
        ["RLP_INVALID_ADDRESS"] = ["malformed block RLP"],
        ["RLP_INVALID_FIELD_OVERFLOW_64"] = ["malformed block RLP"],
        ["RLP_WITHDRAWALS_NOT_READ"] = ["withdrawals list"],
        ["UNKNOWN_PARENT"] = ["unknown parent"],
        ["UNKNOWN_PARENT_ZERO"] = ["unknown parent"],
    };

    /// <summary>Null when <paramref name="message"/> is a rejection <paramref name="expected"/> allows, else why not.</summary>
    public static string? Check(string expected, string message)
    {
        foreach (string alternative in expected.Split('|'))
        {
            int dot = alternative.IndexOf('.', StringComparison.Ordinal);
            string kind = dot < 0 ? "" : alternative[..dot];
            string name = alternative[(dot + 1)..];
            if (kind == "TransactionException")
            {
                // A transaction the executor refuses ("transaction i (hash): reason"), or a header whose transactions
                // root the filler computed without the invalid transaction (retesteth's fixtures do this), which is
                // the first rule such a block breaks.
                if (message.StartsWith("transaction ", StringComparison.Ordinal) || message.StartsWith("transactions root mismatch", StringComparison.Ordinal))
                {
                    return null;
                }
            }
            else if (kind == "BlockException" && BlockRules.TryGetValue(name, out string[]? rules))
            {
                foreach (string rule in rules)
                {
                    if (message.Contains(rule, StringComparison.Ordinal))
                    {
                        return null;
                    }
                }
            }
            else if (kind != "BlockException")
            {
                return $"unknown exception kind in '{alternative}'";
            }
        }

        return $"rejected for another reason than {expected}: {message}";
    }
}
