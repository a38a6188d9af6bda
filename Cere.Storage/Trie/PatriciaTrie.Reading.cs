using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>Whole-trie reads: in-order enumeration and proofs.</summary>
public sealed partial class PatriciaTrie
{
    /// <summary>Every key-value pair in key order (loads the whole trie; for tests, tools and small tries).</summary>
    public List<KeyValuePair<byte[], byte[]>> ToList()
    {
        List<KeyValuePair<byte[], byte[]>> result = [];
        List<byte> path = [];
        Walk(_root, path, result);
        return result;
    }

    /// <summary>
    /// The stored nodes on the path of <paramref name="key"/>, root first (the <c>eth_getProof</c> shape); it proves
    /// the value or its absence. The trie must have no uncommitted changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The trie has changes that are not committed.</exception>
    public List<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        List<byte[]> proof = [];
        if (_root is null)
        {
            return proof;
        }

        if (_root.Dirty)
        {
            throw new InvalidOperationException("commit the trie before taking proofs: a proof is made of stored nodes");
        }

        Hash256 root = ComputeRoot();
        byte[] nibbles = Nibbles.FromBytes(key);
        StoredNodeWalk.Get(_store, root, nibbles, 0, proof);
        return proof;
    }

    private void Walk(TrieNode? node, List<byte> path, List<KeyValuePair<byte[], byte[]>> result)
    {
        if (node is null)
        {
            return;
        }

        node = Resolve(node);
        int mark = path.Count;
        switch (node.Kind)
        {
            case NodeKind.Leaf:
                LeafNode leaf = (LeafNode)node;
                path.AddRange(leaf.Path);
                result.Add(new KeyValuePair<byte[], byte[]>(Nibbles.ToBytes(path.ToArray()), leaf.Value));
                break;
            case NodeKind.Extension:
                ExtensionNode ext = (ExtensionNode)node;
                path.AddRange(ext.Path);
                Walk(ext.Child, path, result);
                break;
            default:
                BranchNode branch = (BranchNode)node;
                if (branch.Value is not null)
                {
                    result.Add(new KeyValuePair<byte[], byte[]>(Nibbles.ToBytes(path.ToArray()), branch.Value));
                }

                for (int i = 0; i < 16; i++)
                {
                    path.Add((byte)i);
                    Walk(branch.ChildAt(i), path, result);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }

        path.RemoveRange(mark, path.Count - mark);
    }
}
