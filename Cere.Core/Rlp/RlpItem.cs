namespace Cere.Core.Rlp;

/// <summary>A decoded RLP tree (a byte string or a list of items), for tests, tools and other cold paths; allocates freely.</summary>
public sealed class RlpItem
{
    /// <summary>The deepest list nesting <see cref="Decode"/> accepts, so hostile input cannot exhaust the stack.</summary>
    public const int MaxDepth = 1024;

    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        _bytes = bytes;
        _items = items;
    }

    /// <summary>True for a list, false for a byte string.</summary>
    public bool IsList => _items is not null;

    /// <summary>The payload of a byte string.</summary>
    /// <exception cref="InvalidOperationException">This is a list.</exception>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("an RLP list has no bytes; check IsList");

    /// <summary>The items of a list.</summary>
    /// <exception cref="InvalidOperationException">This is a byte string.</exception>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("an RLP string has no items; check IsList");

    /// <summary>A byte string item.</summary>
    public static RlpItem String(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    /// <summary>A list item.</summary>
    public static RlpItem List(params RlpItem[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(null, (RlpItem[])items.Clone());
    }

    /// <summary>Decodes exactly one item that spans the whole input, strictly (every list's size must match its items).</summary>
    /// <exception cref="RlpException">The input is not exactly one canonical RLP item.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        RlpReader reader = new(encoded);
        RlpItem item = Read(ref reader, 0);
        reader.EnsureFinished();
        return item;
    }

    /// <summary>Reads the next item (and, for a list, all it contains) from <paramref name="reader"/>.</summary>
    public static RlpItem Read(ref RlpReader reader) => Read(ref reader, 0);

    /// <summary>The length of this item's encoding.</summary>
    public int EncodedLength => _items is null ? Rlp.LengthOfBytes(_bytes) : Rlp.LengthOfList(PayloadLength());

    /// <summary>Encodes this item.</summary>
    public byte[] Encode()
    {
        byte[] result = new byte[EncodedLength];
        RlpWriter writer = new(result);
        Write(ref writer);
        writer.EnsureFilled();
        return result;
    }

    /// <summary>Writes this item's encoding.</summary>
    public void Write(ref RlpWriter writer)
    {
        if (_items is null)
        {
            writer.WriteBytes(_bytes);
            return;
        }

        writer.WriteListHeader(PayloadLength());
        foreach (RlpItem item in _items)
        {
            item.Write(ref writer);
        }
    }

    /// <summary>Hex for a string, bracketed items for a list.</summary>
    public override string ToString() => _items is null ? Hex.Encode(_bytes) : "[" + string.Join(", ", (IEnumerable<RlpItem>)_items) + "]";

    private int PayloadLength()
    {
        int sum = 0;
        foreach (RlpItem item in _items!)
        {
            sum = checked(sum + item.EncodedLength);
        }

        return sum;
    }

    private static RlpItem Read(ref RlpReader reader, int depth)
    {
        if (!reader.PeekIsList())
        {
            return new RlpItem(reader.ReadBytes().ToArray(), null);
        }

        int start = reader.Position;
        if (depth >= MaxDepth)
        {
            RlpReader.Throw(RlpError.NestingTooDeep, start, $"lists nested more than {MaxDepth} deep");
        }

        int end = reader.ReadListHeader();
        List<RlpItem> items = [];
        while (reader.HasItemsBefore(end))
        {
            items.Add(Read(ref reader, depth + 1));

            // Fail at the item that overran the list, not later at an outer list.
            if (reader.Position > end)
            {
                reader.EnsureAt(end);
            }
        }

        reader.EnsureAt(end);
        return new RlpItem(null, [.. items]);
    }
}
