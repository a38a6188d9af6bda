using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.Trie;

namespace Cere.Storage.Tests.Trie;

/// <summary>
/// The Yellow Paper's definition of the trie root (appendix D: TRIE(J) = KEC(c(J, 0))) written directly over a
/// set of keys, with no nodes, no mutation and no caching: an independent reference for the property tests.
/// </summary>
internal static class ReferenceTrieRoot
{
    public static Hash256 Compute(IReadOnlyDictionary<string, byte[]> hexKeyToValue)
    {
        List<(byte[] Nibbles, byte[] Value)> items = [];
        foreach (KeyValuePair<string, byte[]> kv in hexKeyToValue)
        {
            items.Add((Nibbles.FromBytes(Hex.Decode(kv.Key)), kv.Value));
        }

        return items.Count == 0 ? Hash256.EmptyTrieRoot : Keccak256.Compute(C(items, 0));
    }

    private static byte[] C(List<(byte[] Nibbles, byte[] Value)> items, int i)
    {
        if (items.Count == 1)
        {
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix.Encode(items[0].Nibbles.AsSpan(i), true)), Rlp.EncodeBytes(items[0].Value));
        }

        int common = int.MaxValue;
        for (int k = 1; k < items.Count; k++)
        {
            common = Math.Min(common, items[0].Nibbles.AsSpan(i).CommonPrefixLength(items[k].Nibbles.AsSpan(i)));
        }

        if (common > 0)
        {
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix.Encode(items[0].Nibbles.AsSpan(i, common), false)), N(items, i + common));
        }

        byte[][] parts = new byte[17][];
        byte[] value = [];
        for (int j = 0; j < 16; j++)
        {
            List<(byte[], byte[])> sub = [];
            foreach ((byte[] nibbles, byte[] v) in items)
            {
                if (nibbles.Length > i && nibbles[i] == j)
                {
                    sub.Add((nibbles, v));
                }
            }

            parts[j] = N(sub, i + 1);
        }

        foreach ((byte[] nibbles, byte[] v) in items)
        {
            if (nibbles.Length == i)
            {
                value = v;
            }
        }

        parts[16] = Rlp.EncodeBytes(value);
        return Rlp.EncodeList(parts);
    }

    private static byte[] N(List<(byte[] Nibbles, byte[] Value)> items, int i)
    {
        if (items.Count == 0)
        {
            return Rlp.EncodeBytes([]);
        }

        byte[] c = C(items, i);
        return c.Length < 32 ? c : Rlp.EncodeBytes(Keccak256.Compute(c).Bytes);
    }
}
