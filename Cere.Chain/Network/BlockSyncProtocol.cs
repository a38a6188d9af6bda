using System.Buffers.Binary;
using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.Core.Blocks;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;
using Cere.P2P.RequestResponse;

namespace Cere.Chain.Network;

/// <summary>
/// The block-sync request/response protocols: <see cref="ChainTopics.Status"/> (a peer's chain and head),
/// <see cref="ChainTopics.BlocksByRange"/> (consecutive decided blocks, each with its commit certificate) and the
/// single-height <see cref="ChainTopics.BlockByHeight"/>. This class serves them from the chain and asks peers; it
/// checks the framing of an answer, while the certificates and blocks are checked by <see cref="CertifiedBlockImporter"/>.
/// </summary>
/// <remarks>
/// A range answer is <c>varint(len) ‖ commit message</c> repeated, heights consecutive from the start asked for; it
/// may stop early (the peer's head, or <see cref="RangeByteBudget"/>) but holds at least one block.
/// </remarks>
public sealed class BlockSyncProtocol
{
    /// <summary>The most blocks one range request may ask for.</summary>
    public const int MaxRangeCount = 256;

    /// <summary>The bytes a server puts in one range answer before it stops (the first block always goes, whatever its size).</summary>
    public const int RangeByteBudget = 8 << 20;

    private const int RangeRequestSize = 12;

    private static readonly RequestResponseOptions StatusOptions = new() { MaxRequestSize = 1, MaxResponseSize = ChainStatus.Size }; // the request is empty
    private static readonly RequestResponseOptions RangeOptions = new()
    {
        MaxRequestSize = RangeRequestSize,

        // One frame of a block at the consensus size limit, or the budget of smaller ones.
        MaxResponseSize = Math.Max(RangeByteBudget, ConsensusCodec.MaxMessageSize) + 16,
        RequestTimeout = TimeSpan.FromSeconds(30),
        HandlerTimeout = TimeSpan.FromSeconds(30),
    };

    private readonly RequestResponseService _requests;
    private readonly ChainTopics _topics;
    private readonly Blockchain _chain;
    private readonly CertificateStore _certificates;

    /// <summary>The protocols on <paramref name="requests"/>, serving from <paramref name="chain"/> and <paramref name="certificates"/>.</summary>
    public BlockSyncProtocol(RequestResponseService requests, ChainTopics topics, Blockchain chain, CertificateStore certificates)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(certificates);
        _requests = requests;
        _topics = topics;
        _chain = chain;
        _certificates = certificates;
    }

    /// <summary>The protocol ids of the chain.</summary>
    public ChainTopics Topics => _topics;

    /// <summary>This node's status.</summary>
    public ChainStatus LocalStatus
    {
        get
        {
            BlockHeader head = _chain.Head;
            return new ChainStatus(_chain.Spec.ChainId, _chain.Genesis.Hash, head.Number, head.Hash);
        }
    }

    /// <summary>Starts answering requests.</summary>
    public void Register()
    {
        _requests.Register(_topics.Status, AnswerStatusAsync, StatusOptions);
        _requests.Register(_topics.BlocksByRange, AnswerRangeAsync, RangeOptions);
        _requests.Register(_topics.BlockByHeight, AnswerHeightAsync, new RequestResponseOptions { MaxRequestSize = 8 });
    }

    /// <summary>Asks <paramref name="peer"/> for its chain and head.</summary>
    /// <exception cref="WrongChainException">The peer is on another chain (chain id or genesis block).</exception>
    /// <exception cref="InvalidDataException">The answer is not a status.</exception>
    /// <exception cref="RequestFailedException">The peer answered with an error.</exception>
    public async Task<ChainStatus> RequestStatusAsync(PeerId peer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        byte[] body = await _requests.RequestAsync(peer, _topics.Status, ReadOnlyMemory<byte>.Empty, StatusOptions, ct).ConfigureAwait(false);
        ChainStatus status = ChainStatus.Decode(body);
        if (status.ChainId != _chain.Spec.ChainId || status.Genesis != _chain.Genesis.Hash)
        {
            throw new WrongChainException(status.HeadNumber, $"peer {peer} is on chain {status.ChainId} with genesis {status.Genesis}; this node is on chain {_chain.Spec.ChainId} with genesis {_chain.Genesis.Hash}");
        }

        return status;
    }

    /// <summary>
    /// Asks <paramref name="peer"/> for up to <paramref name="count"/> decided blocks from <paramref name="start"/>;
    /// returns the encoded commit messages (at least one), not yet verified. Null when the peer has none of them.
    /// </summary>
    /// <exception cref="MalformedCommitException">The answer's framing is broken (garbage on the wire) or holds more than asked.</exception>
    /// <exception cref="RequestFailedException">The peer answered with an error.</exception>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>?> RequestRangeAsync(PeerId peer, ulong start, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfZero(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxRangeCount);
        byte[] request = new byte[RangeRequestSize];
        BinaryPrimitives.WriteUInt64BigEndian(request, start);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), count);
        byte[] body;
        try
        {
            body = await _requests.RequestAsync(peer, _topics.BlocksByRange, request, RangeOptions, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == ResponseStatus.ResourceUnavailable)
        {
            return null;
        }

        return SplitRange(body, start, count);
    }

    /// <summary>Splits a range answer into its commit messages (slices of <paramref name="body"/>).</summary>
    /// <exception cref="MalformedCommitException">Empty, truncated, a bad length prefix, or more than <paramref name="count"/> items.</exception>
    public static IReadOnlyList<ReadOnlyMemory<byte>> SplitRange(ReadOnlyMemory<byte> body, ulong start, int count)
    {
        List<ReadOnlyMemory<byte>> items = [];
        int at = 0;
        while (at < body.Length)
        {
            if (items.Count == count)
            {
                throw new MalformedCommitException(start + (ulong)count, $"asked for {count} blocks from {start}, the answer holds more");
            }

            ulong height = start + (ulong)items.Count;
            if (!TryReadLength(body.Span[at..], out ulong length, out int consumed))
            {
                throw new MalformedCommitException(height, $"block {height}: the length prefix is malformed or truncated");
            }

            at += consumed;
            if (length > (ulong)(body.Length - at) || length > ConsensusCodec.MaxMessageSize)
            {
                throw new MalformedCommitException(height, $"block {height}: a length of {length} bytes runs past the answer's end ({body.Length - at} left)");
            }

            items.Add(body.Slice(at, (int)length));
            at += (int)length;
        }

        return items.Count > 0 ? items : throw new MalformedCommitException(start, $"the answer for blocks from {start} is empty");
    }

    private static bool TryReadLength(ReadOnlySpan<byte> source, out ulong length, out int consumed)
    {
        try
        {
            return Varint.TryRead(source, out length, out consumed);
        }
        catch (FormatException)
        {
            // An over-long varint: as malformed as a truncated one.
            (length, consumed) = (0, 0);
            return false;
        }
    }

    private Task<Response> AnswerStatusAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct) =>
        Task.FromResult(Response.Ok(LocalStatus.Encode()));

    private Task<Response> AnswerRangeAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct)
    {
        if (request.Length != RangeRequestSize)
        {
            return Task.FromResult(Response.Error(ResponseStatus.InvalidRequest, $"a range request is {RangeRequestSize} bytes (start height 8, count 4, big-endian), got {request.Length}"));
        }

        ulong start = BinaryPrimitives.ReadUInt64BigEndian(request.Span);
        int count = BinaryPrimitives.ReadInt32BigEndian(request.Span[8..]);
        if (start == 0 || count <= 0 || count > MaxRangeCount)
        {
            return Task.FromResult(Response.Error(ResponseStatus.InvalidRequest, $"a range starts at height 1 or above and holds 1 to {MaxRangeCount} blocks; got start {start} count {count}"));
        }

        using MemoryStream answer = new();
        Span<byte> prefix = stackalloc byte[10];
        ulong head = _chain.Head.Number;
        for (ulong h = start; h < start + (ulong)count && h <= head && !ct.IsCancellationRequested; h++)
        {
            byte[]? commit = EncodeCommit(h);
            if (commit is null)
            {
                break;
            }

            int n = Varint.Write((ulong)commit.Length, prefix);
            if (answer.Length > 0 && answer.Length + n + commit.Length > RangeByteBudget)
            {
                break;
            }

            answer.Write(prefix[..n]);
            answer.Write(commit);
        }

        return Task.FromResult(answer.Length == 0
            ? Response.Error(ResponseStatus.ResourceUnavailable, $"no decided block at height {start} (head {head})")
            : Response.Ok(answer.ToArray()));
    }

    private Task<Response> AnswerHeightAsync(PeerId peer, ReadOnlyMemory<byte> request, CancellationToken ct)
    {
        if (request.Length != 8)
        {
            return Task.FromResult(Response.Error(ResponseStatus.InvalidRequest, $"a block request is 8 bytes (the height, big-endian), got {request.Length}"));
        }

        ulong height = BinaryPrimitives.ReadUInt64BigEndian(request.Span);
        byte[]? commit = EncodeCommit(height);
        return Task.FromResult(commit is null
            ? Response.Error(ResponseStatus.ResourceUnavailable, $"no decided block at height {height} (head {_chain.Head.Number})")
            : Response.Ok(commit));
    }

    // The commit message of a decided height, or null when this node has no block with a certificate there.
    private byte[]? EncodeCommit(ulong height)
    {
        BlockHeader? header = height == 0 ? null : _chain.HeaderByNumber(height);
        Block? block = header is null ? null : _chain.Blocks.ReadBlock(header.Hash);
        CommitCertificate? cert = block is null ? null : _certificates.Read(height);
        return block is null || cert is null || cert.BlockHash != block.Hash
            ? null
            : ConsensusCodec.Encode(new CommitMessage(cert, BlockCodec.Encode(block)));
    }
}
