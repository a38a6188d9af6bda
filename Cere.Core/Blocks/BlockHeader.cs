using Cere.Core.Crypto;
using Cere.Core.Receipts;

namespace Cere.Core.Blocks;

/// <summary>
/// An Ethereum-shaped block header with the full Cancun field set, so Ethereum fixtures and tools parse it.
/// The fields added by later forks are null when the header predates them; our own chain sets the
/// withdrawals root to the empty trie, the blob fields to zero and the beacon root to zero.
/// </summary>
public sealed class BlockHeader
{
    private Hash256? _hash;

    /// <summary>The parent block's hash.</summary>
    public Hash256 ParentHash { get; init; }

    /// <summary>Keccak of the RLP of the ommers list (always the empty-list hash after the merge).</summary>
    public Hash256 OmmersHash { get; init; } = Hash256.EmptyListHash;

    /// <summary>The fee recipient (on Cere: the proposer).</summary>
    public Address Beneficiary { get; init; }

    /// <summary>The world-state root after this block.</summary>
    public Hash256 StateRoot { get; init; } = Hash256.EmptyTrieRoot;

    /// <summary>Root of the transactions trie.</summary>
    public Hash256 TransactionsRoot { get; init; } = Hash256.EmptyTrieRoot;

    /// <summary>Root of the receipts trie.</summary>
    public Hash256 ReceiptsRoot { get; init; } = Hash256.EmptyTrieRoot;

    /// <summary>The union of the receipts' blooms.</summary>
    public Bloom LogsBloom { get; init; } = new();

    /// <summary>Proof-of-work difficulty (zero after the merge and on Cere).</summary>
    public UInt256 Difficulty { get; init; }

    /// <summary>The block number.</summary>
    public ulong Number { get; init; }

    /// <summary>The most gas the block may use.</summary>
    public ulong GasLimit { get; init; }

    /// <summary>The gas the block's transactions used.</summary>
    public ulong GasUsed { get; init; }

    /// <summary>Seconds since the Unix epoch.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>Up to 32 bytes of free data.</summary>
    public byte[] ExtraData { get; init; } = [];

    /// <summary>The mix hash; after the merge, PREVRANDAO.</summary>
    public Hash256 MixHash { get; init; }

    /// <summary>The 8-byte proof-of-work nonce (zero after the merge).</summary>
    public ulong Nonce { get; init; }

    /// <summary>EIP-1559 base fee per gas (London and later).</summary>
    public UInt256? BaseFeePerGas { get; init; }

    /// <summary>EIP-4895 withdrawals root (Shanghai and later).</summary>
    public Hash256? WithdrawalsRoot { get; init; }

    /// <summary>EIP-4844 blob gas used (Cancun and later; always zero here: no blobs).</summary>
    public ulong? BlobGasUsed { get; init; }

    /// <summary>EIP-4844 excess blob gas (Cancun and later).</summary>
    public ulong? ExcessBlobGas { get; init; }

    /// <summary>EIP-4788 parent beacon block root (Cancun and later).</summary>
    public Hash256? ParentBeaconBlockRoot { get; init; }

    /// <summary>Keccak-256 of the header's RLP, computed once.</summary>
    public Hash256 Hash => _hash ??= Keccak256.Compute(BlockHeaderCodec.Encode(this));

    /// <summary>Records the hash computed from the exact bytes the header was decoded from.</summary>
    internal void SetHash(Hash256 hash) => _hash = hash;
}
