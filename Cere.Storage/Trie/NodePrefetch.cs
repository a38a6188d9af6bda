using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Cere.Core;

namespace Cere.Storage.Trie;

/// <summary>
/// Cache prefetch hints for root computation. The changed nodes were allocated during the updates, far apart and long
/// ago, so each first touch is a cache miss; asking for them before their turn lets the misses overlap with each other
/// and with hashing instead of stalling one after another.
/// </summary>
/// <remarks>
/// References are read as plain addresses (no null check, no dereference): a null check would itself be the load
/// that stalls. Safe: a prefetch only hints the cache; it puts nothing in a register and never faults, so a null
/// or an address made stale by the GC moving an object costs at most one useless fetch.
/// </remarks>
internal static class NodePrefetch
{
    // From an object's address (its method-table pointer) to its first fields: the node flags, an array's length.
    private const int FirstFields = 16;

    private const int CacheLine = 64;

    /// <summary>What a changed child is encoded from: a leaf's or an extension's arrays, a branch's slots and hashes.</summary>
    /// <remarks>The child's own first fields are already being read (it was just checked for changes).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Content(TrieNode node)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        switch (node.Kind)
        {
            case NodeKind.Leaf:
                LeafNode leaf = (LeafNode)node;
                Referenced(ref leaf.Path);
                Referenced(ref leaf.Value);
                break;
            case NodeKind.Extension:
                ExtensionNode ext = (ExtensionNode)node;
                Referenced(ref ext.Path);
                break;
            case NodeKind.Branch:
                Slots((BranchNode)node);
                break;
        }
    }

    /// <summary>The child objects of a branch, or an extension's child, whose turn comes after the current subtree.</summary>
    public static void Children(TrieNode node)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (node.Kind == NodeKind.Branch)
        {
            BranchNode branch = (BranchNode)node;
            for (int m = branch.ObjectMask; m != 0; m &= m - 1)
            {
                Referenced(ref Unsafe.AsRef(in branch.ObjectSlotAt(BitOperations.TrailingZeroCount(m))));
            }
        }
        else if (node.Kind == NodeKind.Extension)
        {
            Referenced(ref ((ExtensionNode)node).Child);
        }
    }

    /// <summary>A branch's child slots and stored hashes, whole (reading the masks first would wait for them).</summary>
    private static unsafe void Slots(BranchNode branch)
    {
        Lines(Unsafe.AsPointer(ref Unsafe.AsRef(in branch.ObjectSlotAt(0))), 16 * sizeof(nint));
        Lines(Unsafe.AsPointer(ref Unsafe.AsRef(in branch.StoredHashAt(0))), 16 * Hash256.Size);
    }

    /// <summary>Every cache line of <paramref name="length"/> bytes from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Lines(void* start, int length)
    {
        byte* p = (byte*)start;
        for (int offset = 0; offset < length; offset += CacheLine)
        {
            Sse.Prefetch0(p + offset);
        }

        Sse.Prefetch0(p + length - 1);
    }

    /// <summary>The object a reference field points to, without reading the object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Referenced<T>(ref T field)
        where T : class?
    {
        nint address = Unsafe.As<T, nint>(ref field);
        Sse.Prefetch0((void*)(address + FirstFields));
    }
}
