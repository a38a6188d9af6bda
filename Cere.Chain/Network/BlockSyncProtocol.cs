using System.Buffers.Binary;
using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core.Blocks;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.P2P.Crypto;
using Cere.P2P.RequestResponse;

namespace Cere.Chain.Network;

/// <summary>
/// The block-by-height request/response protocol (<see cref="ChainTopics.BlockByHeight"/>): a node behind asks a peer
/// for the decided block at a height and gets it with its commit certificate, which it checks before using.
/// </summary>
public sealed class BlockSyncProtocol
{
    private readonly RequestResponseService _requests;
    private readonly ChainTopics _topics;
    private readonly Blockchain _chain;
    private readonly CertificateStore _certificates;
    private readonly ValidatorSchedule _schedule;
    private readonly ISignatureVerifier _verifier;

    /// <summary>The protocol on <paramref name="requests"/>, serving from <paramref name="chain"/> and <paramref name="certificates"/>.</summary>
    public BlockSyncProtocol(RequestResponseService requests, ChainTopics topics, Blockchain chain, CertificateStore certificates, ValidatorSchedule schedule, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(verifier);
        _requests = requests;
        _topics = topics;
        _chain = chain;
        _certificates = certificates;
        _schedule = schedule;
        _verifier = verifier;
    }

    /// <summary>Starts answering requests.</summary>
    public void Register() => _requests.Register(_topics.BlockByHeight, AnswerAsync, new RequestResponseOptions { MaxRequestSize = 8 });

    /// <summary>
    /// Asks <paramref name="peer"/> for the decided block at <paramref name="height"/>; returns it with its certificate,
    /// checked (decodes, right chain and height, certificate of the block, quorum of valid signatures), or null if the
    /// peer does not have it.
    /// </summary>
    /// <exception cref="InvalidDataException">The peer answered with something that is not a valid decided block.</exception>
    public async Task<CommitMessage?> RequestAsync(PeerId peer, ulong height, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        byte[] request = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(request, height);
        byte[] body;
        try
        {
            body = await _requests.RequestAsync(peer, _topics.BlockByHeight, request, ct: ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == ResponseStatus.ResourceUnavailable)
        {
            return null;
        }

        try
        {
            if (ConsensusCodec.Decode(body) is not CommitMessage commit)
            {
                throw new InvalidDataException($"block {height} from {peer}: not a commit message");
            }

            Block block = BlockCodec.Decode(commit.Block);
            if (commit.Height != height)
            {
                throw new InvalidDataException($"asked {peer} for block {height}, got block {commit.Height}");
            }

            string? error = ChainGossip.CheckCommit(commit, block, _topics.ChainId, _schedule, _verifier);
            return error is null ? commit : throw new InvalidDataException($"block {height} from {peer}: {error}");
        }
        catch (Exception e) when (e is ConsensusDecodeException or RlpException or TransactionException)
        {
            throw new InvalidDataException($"block {height} from {peer} does not decode: {e.Message}", e);
        }
    }

    private Task<Response> AnswerAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct)
    {
        if (request.Length != 8)
        {
            return Task.FromResult(Response.Error(ResponseStatus.InvalidRequest, $"a block request is 8 bytes (the height, big-endian), got {request.Length}"));
        }

        ulong height = BinaryPrimitives.ReadUInt64BigEndian(request.Span);
        BlockHeader? header = height == 0 ? null : _chain.HeaderByNumber(height);
        Block? block = header is null ? null : _chain.Blocks.ReadBlock(header.Hash);
        CommitCertificate? cert = block is null ? null : _certificates.Read(height);
        if (block is null || cert is null || cert.BlockHash != block.Hash)
        {
            return Task.FromResult(Response.Error(ResponseStatus.ResourceUnavailable, $"no decided block at height {height} (head {_chain.Head.Number})"));
        }

        return Task.FromResult(Response.Ok(ConsensusCodec.Encode(new CommitMessage(cert, BlockCodec.Encode(block)))));
    }
}
