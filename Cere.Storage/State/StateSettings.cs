using Cere.Storage.Trie;

namespace Cere.Storage.State;

/// <summary>How much old state a node keeps.</summary>
public enum PruningMode
{
    /// <summary>Keep every state ever committed (an archive node: any historical root can be read and proved).</summary>
    Archive,

    /// <summary>Keep the states of the last <see cref="StateSettings.RetainedStates"/> commits; delete nodes no retained state reaches.</summary>
    Pruned,
}

/// <summary>Settings of a <see cref="WorldState"/>.</summary>
public sealed record StateSettings
{
    /// <summary>Node cache budget in bytes.</summary>
    public long NodeCacheBytes { get; init; } = TrieNodeStore.DefaultCacheBytes;

    /// <summary>Archive or pruned.</summary>
    public PruningMode Pruning { get; init; } = PruningMode.Archive;

    /// <summary>With <see cref="PruningMode.Pruned"/>: how many of the latest committed states stay readable (in blocks).</summary>
    public int RetainedStates { get; init; } = 128;

    /// <summary>With <see cref="PruningMode.Pruned"/>: run a mark-and-sweep every this many blocks (it walks the retained states once).</summary>
    public int PruneIntervalBlocks { get; init; } = 1024;
}
