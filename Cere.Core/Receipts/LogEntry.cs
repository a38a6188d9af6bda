using Cere.Core.Rlp;

namespace Cere.Core.Receipts;

/// <summary>An event emitted by a contract: the emitting address, up to four topics and data.</summary>
public sealed class LogEntry : IEquatable<LogEntry>
{
    /// <summary>Creates a log.</summary>
    public LogEntry(Address address, Hash256[] topics, byte[] data)
    {
        Address = address;
        Topics = topics ?? throw new ArgumentNullException(nameof(topics));
        Data = data ?? throw new ArgumentNullException(nameof(data));
    }

    /// <summary>The contract that emitted it.</summary>
    public Address Address { get; }

    /// <summary>The indexed topics (0 to 4).</summary>
    public Hash256[] Topics { get; }

    /// <summary>The unindexed data.</summary>
    public byte[] Data { get; }

    /// <summary>The RLP payload length of <c>[address, [topics…], data]</c>.</summary>
    public int PayloadLength => Rlp.Rlp.LengthOfAddress + Rlp.Rlp.LengthOfList(Topics.Length * Rlp.Rlp.LengthOfHash) + Rlp.Rlp.LengthOfBytes(Data);

    /// <summary>The full encoded length.</summary>
    public int EncodedLength => Rlp.Rlp.LengthOfList(PayloadLength);

    /// <summary>Writes <c>[address, [topics…], data]</c>.</summary>
    public void Encode(ref RlpWriter writer)
    {
        writer.WriteListHeader(PayloadLength);
        writer.WriteAddress(Address);
        writer.WriteListHeader(Topics.Length * Rlp.Rlp.LengthOfHash);
        foreach (Hash256 t in Topics)
        {
            writer.WriteHash256(t);
        }

        writer.WriteBytes(Data);
    }

    /// <summary>Reads <c>[address, [topics…], data]</c>.</summary>
    public static LogEntry Decode(ref RlpReader reader)
    {
        int end = reader.ReadListHeader();
        Address address = reader.ReadAddress();
        int topicsEnd = reader.ReadListHeader();
        List<Hash256> topics = new(4);
        while (reader.HasItemsBefore(topicsEnd))
        {
            topics.Add(reader.ReadHash256());
        }

        reader.EnsureAt(topicsEnd);
        byte[] data = reader.ReadBytes().ToArray();
        reader.EnsureAt(end);
        return new LogEntry(address, [.. topics], data);
    }

    /// <inheritdoc/>
    public bool Equals(LogEntry? other) =>
        other is not null && Address == other.Address && Topics.AsSpan().SequenceEqual(other.Topics) && Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LogEntry);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, Topics.Length, Data.Length);
}
