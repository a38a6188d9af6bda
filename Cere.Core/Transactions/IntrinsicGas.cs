namespace Cere.Core.Transactions;

/// <summary>The gas a transaction costs before its first opcode runs (Cancun rules).</summary>
public static class IntrinsicGas
{
    /// <summary>Base cost of every transaction.</summary>
    public const ulong Transaction = 21_000;

    /// <summary>Extra base cost of a contract creation (EIP-2).</summary>
    public const ulong Creation = 32_000;

    /// <summary>Per zero byte of data.</summary>
    public const ulong ZeroByte = 4;

    /// <summary>Per non-zero byte of data (EIP-2028).</summary>
    public const ulong NonZeroByte = 16;

    /// <summary>Per access-list address (EIP-2930).</summary>
    public const ulong AccessListAddress = 2_400;

    /// <summary>Per access-list storage key (EIP-2930).</summary>
    public const ulong AccessListStorageKey = 1_900;

    /// <summary>Per 32-byte word of creation code (EIP-3860).</summary>
    public const ulong InitCodeWord = 2;

    /// <summary>The most creation code a transaction may carry (EIP-3860: twice the EIP-170 code size limit).</summary>
    public const int MaxInitCodeSize = 49_152;

    /// <summary>The intrinsic gas of <paramref name="tx"/>.</summary>
    public static ulong Of(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ulong gas = Transaction + DataCost(tx.Data);
        if (tx.IsContractCreation)
        {
            gas += Creation + InitCodeWord * (((ulong)tx.Data.Length + 31) / 32);
        }

        foreach (AccessListEntry e in tx.AccessList)
        {
            gas += AccessListAddress + AccessListStorageKey * (ulong)e.StorageKeys.Length;
        }

        return gas;
    }

    /// <summary>The calldata cost: 4 per zero byte, 16 per other byte.</summary>
    public static ulong DataCost(ReadOnlySpan<byte> data)
    {
        int zeros = data.Count((byte)0);
        return (ulong)zeros * ZeroByte + (ulong)(data.Length - zeros) * NonZeroByte;
    }
}
