namespace Cere.Chain.Network;

/// <summary>
/// The gossipsub topics and request/response protocol ids of one chain. Every name carries the chain id, so nodes of
/// different chains sharing peers never see each other's traffic, and a version suffix so an encoding can change.
/// </summary>
public sealed class ChainTopics
{
    /// <summary>The names for <paramref name="chainId"/>.</summary>
    public ChainTopics(ulong chainId)
    {
        ChainId = chainId;
        string root = $"/cere/{chainId}";
        Consensus = root + "/consensus/1";
        Transactions = root + "/txs/1";
        TransactionBatches = root + "/txs/2";
        Blocks = root + "/blocks/1";
        BlockByHeight = root + "/block-by-height/1";
        BlocksByRange = root + "/blocks-by-range/1";
        Status = root + "/status/1";
    }

    /// <summary>The chain id.</summary>
    public ulong ChainId { get; }

    /// <summary>Proposals (with the block) and votes, as <c>ConsensusCodec</c> messages.</summary>
    public string Consensus { get; }

    /// <summary>Transactions, each one raw envelope (as <c>eth_sendRawTransaction</c> takes it); accepted from peers, no longer published.</summary>
    public string Transactions { get; }

    /// <summary>Transactions in batches (<c>TransactionBatchCodec</c>): what nodes publish, one author signature per batch.</summary>
    public string TransactionBatches { get; }

    /// <summary>Decided blocks with their commit certificate, as a <c>ConsensusCodec</c> commit message.</summary>
    public string Blocks { get; }

    /// <summary>Request: the height as 8 bytes big-endian; response: the decided block with its certificate (commit message).</summary>
    public string BlockByHeight { get; }

    /// <summary>Request: start height (8 bytes) and count (4 bytes), big-endian; response: consecutive decided blocks with certificates (see <c>BlockSyncProtocol</c>).</summary>
    public string BlocksByRange { get; }

    /// <summary>Request: empty; response: the peer's chain id, genesis hash and head (see <c>ChainStatus</c>).</summary>
    public string Status { get; }
}
