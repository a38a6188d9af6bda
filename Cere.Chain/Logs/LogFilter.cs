using System.Buffers.Binary;
using Cere.Core;
using Cere.Core.Receipts;

namespace Cere.Chain.Logs;

/// <summary>
/// Which logs a query wants: any of a set of addresses (empty: any) and, per topic position, any of a set of
/// topics (null: any). Matching follows execution-apis / geth: a log with fewer topics than the filter has
/// positions never matches, even when the trailing positions are wildcards.
/// </summary>
public sealed class LogFilter
{
    private readonly HashSet<Address>? _addresses;
    private readonly HashSet<Hash256>?[] _topics;
    private readonly HashSet<ulong>? _addressPrints;
    private readonly HashSet<ulong>?[] _topicPrints;

    /// <summary>Creates a filter; <paramref name="topics"/>[i] null or empty is a wildcard at position i.</summary>
    public LogFilter(IReadOnlyList<Address> addresses, IReadOnlyList<IReadOnlyList<Hash256>?> topics)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(topics);
        Addresses = [.. addresses];
        Topics = new Hash256[]?[topics.Count];
        if (addresses.Count > 0)
        {
            _addresses = new HashSet<Address>(addresses);
            _addressPrints = new HashSet<ulong>(addresses.Count);
            foreach (Address a in addresses)
            {
                _addressPrints.Add(LogFingerprint.Of(a));
            }
        }

        _topics = new HashSet<Hash256>?[topics.Count];
        _topicPrints = new HashSet<ulong>?[topics.Count];
        for (int i = 0; i < topics.Count; i++)
        {
            if (topics[i] is { Count: > 0 } alternatives)
            {
                Topics[i] = [.. alternatives];
                _topics[i] = new HashSet<Hash256>(alternatives);
                HashSet<ulong> prints = new(alternatives.Count);
                foreach (Hash256 t in alternatives)
                {
                    prints.Add(LogFingerprint.Of(t));
                }

                _topicPrints[i] = prints;
            }
        }
    }

    /// <summary>A filter that matches every log.</summary>
    public static LogFilter Any { get; } = new([], []);

    /// <summary>The addresses (empty: any).</summary>
    public Address[] Addresses { get; }

    /// <summary>The topic alternatives per position (null: any).</summary>
    public Hash256[]?[] Topics { get; }

    /// <summary>True when <paramref name="log"/> matches exactly.</summary>
    public bool Matches(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (_addresses is not null && !_addresses.Contains(log.Address))
        {
            return false;
        }

        Hash256[] logTopics = log.Topics;
        if (_topics.Length > logTopics.Length)
        {
            return false;
        }

        for (int i = 0; i < _topics.Length; i++)
        {
            if (_topics[i] is HashSet<Hash256> wanted && !wanted.Contains(logTopics[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// False when a block with <paramref name="bloom"/> cannot hold a matching log: no wanted address is in it, or for
    /// some position none of the wanted topics is (Yellow Paper 4.3.1; geth's bloomFilter).
    /// </summary>
    public bool MayMatch(Bloom bloom)
    {
        ArgumentNullException.ThrowIfNull(bloom);
        if (Addresses.Length > 0 && !AnyInBloom(bloom, Addresses))
        {
            return false;
        }

        foreach (Hash256[]? alternatives in Topics)
        {
            if (alternatives is not null && !AnyInBloom(bloom, alternatives))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// False when a log with these fingerprints cannot match (a fingerprint match may be a collision: confirm with
    /// <see cref="Matches"/>).
    /// </summary>
    internal bool MayMatch(ulong addressPrint, ReadOnlySpan<byte> topicPrints)
    {
        if (_addressPrints is not null && !_addressPrints.Contains(addressPrint))
        {
            return false;
        }

        int topicCount = topicPrints.Length / sizeof(ulong);
        if (_topicPrints.Length > topicCount)
        {
            return false;
        }

        for (int i = 0; i < _topicPrints.Length; i++)
        {
            if (_topicPrints[i] is HashSet<ulong> wanted && !wanted.Contains(BinaryPrimitives.ReadUInt64LittleEndian(topicPrints.Slice(i * sizeof(ulong)))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyInBloom(Bloom bloom, Address[] values)
    {
        foreach (Address a in values)
        {
            if (bloom.MightContain(a.Bytes))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyInBloom(Bloom bloom, Hash256[] values)
    {
        foreach (Hash256 t in values)
        {
            if (bloom.MightContain(t.Bytes))
            {
                return true;
            }
        }

        return false;
    }
}
