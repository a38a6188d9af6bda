using Cere.Core.Rlp;
using Cere.Core.Transactions;

namespace Cere.Core.Receipts;

/// <summary>
/// The outcome of one transaction: status, cumulative gas, bloom and logs (post-Byzantium shape).
/// Typed receipts (EIP-2718) are the type byte followed by the RLP list; legacy ones are the bare list.
/// </summary>
public sealed class Receipt
{
    /// <summary>Creates a receipt; the bloom is computed from the logs when not given.</summary>
    public Receipt(TxType type, bool success, ulong cumulativeGasUsed, LogEntry[] logs, Bloom? bloom = null)
    {
        Type = type;
        Success = success;
        CumulativeGasUsed = cumulativeGasUsed;
        Logs = logs ?? throw new ArgumentNullException(nameof(logs));
        if (bloom is null)
        {
            bloom = new Bloom();
            bloom.Add(logs);
        }

        Bloom = bloom;
    }

    /// <summary>The envelope type of the transaction it belongs to.</summary>
    public TxType Type { get; }

    /// <summary>EIP-658 status: true when the transaction did not revert.</summary>
    public bool Success { get; }

    /// <summary>Gas used in the block up to and including this transaction.</summary>
    public ulong CumulativeGasUsed { get; }

    /// <summary>The logs, in emission order.</summary>
    public LogEntry[] Logs { get; }

    /// <summary>The bloom of the logs.</summary>
    public Bloom Bloom { get; }

    private int PayloadLength
    {
        get
        {
            int logs = 0;
            foreach (LogEntry l in Logs)
            {
                logs += l.EncodedLength;
            }

            return 1 + Rlp.Rlp.LengthOf(CumulativeGasUsed) + Rlp.Rlp.LengthOfBytes(Bloom.Size) + Rlp.Rlp.LengthOfList(logs);
        }
    }

    /// <summary>The consensus encoding (the value the receipts trie stores).</summary>
    public byte[] Encode()
    {
        int payload = PayloadLength;
        int prefix = Type == TxType.Legacy ? 0 : 1;
        byte[] result = new byte[prefix + Rlp.Rlp.LengthOfList(payload)];
        if (prefix == 1)
        {
            result[0] = (byte)Type;
        }

        RlpWriter w = new(result.AsSpan(prefix));
        w.WriteListHeader(payload);
        w.WriteUInt64(Success ? 1UL : 0UL);
        w.WriteUInt64(CumulativeGasUsed);
        w.WriteBytes(Bloom.Bytes);
        int logs = 0;
        foreach (LogEntry l in Logs)
        {
            logs += l.EncodedLength;
        }

        w.WriteListHeader(logs);
        foreach (LogEntry l in Logs)
        {
            l.Encode(ref w);
        }

        w.EnsureFilled();
        return result;
    }

    /// <summary>Decodes the consensus encoding.</summary>
    /// <exception cref="RlpException">Malformed encoding.</exception>
    public static Receipt Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new RlpException(RlpError.Truncated, 0, "empty receipt");
        }

        TxType type = TxType.Legacy;
        if (encoded[0] < 0x7f)
        {
            type = encoded[0] switch
            {
                1 => TxType.AccessList,
                2 => TxType.DynamicFee,
                _ => throw new RlpException(RlpError.UnexpectedLength, 0, $"unknown receipt type {encoded[0]}"),
            };
            encoded = encoded[1..];
        }

        RlpReader r = new(encoded);
        int end = r.ReadListHeader();
        ulong status = r.ReadUInt64();
        if (status > 1)
        {
            throw new RlpException(RlpError.IntegerTooLarge, 0, "receipt status must be 0 or 1");
        }

        ulong cumulative = r.ReadUInt64();
        Bloom bloom = new(r.ReadBytes());
        int logsEnd = r.ReadListHeader();
        List<LogEntry> logs = [];
        while (r.HasItemsBefore(logsEnd))
        {
            logs.Add(LogEntry.Decode(ref r));
        }

        r.EnsureAt(logsEnd);
        r.EnsureAt(end);
        r.EnsureFinished();
        return new Receipt(type, status == 1, cumulative, [.. logs], bloom);
    }
}
