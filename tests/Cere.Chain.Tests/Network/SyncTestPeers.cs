using System.Collections.Concurrent;
using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Chain.Network;
using Cere.Consensus.Messages;
using Cere.P2P.Addressing;
using Cere.P2P.Crypto;
using Cere.P2P.Encoding;
using Cere.P2P.Hosting;
using Cere.P2P.Peers;
using Cere.P2P.RequestResponse;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// A node that only syncs, from its parts (real libp2p host, sync protocols, importer, synchronizer, connection manager
/// for bans), on an empty chain: the test subscribes to rejections before anything starts.
/// </summary>
internal sealed class SyncingPeer : IAsyncDisposable
{
    private SyncingPeer(MemoryStore db, Blockchain chain, Host host, ConnectionManager connections, BlockSynchronizer sync, ConcurrentQueue<string> log)
    {
        Log = log;
        Db = db;
        Chain = chain;
        Host = host;
        Connections = connections;
        Sync = sync;
    }

    public MemoryStore Db { get; }

    public Blockchain Chain { get; }

    public Host Host { get; }

    public ConnectionManager Connections { get; }

    public BlockSynchronizer Sync { get; }

    public ConcurrentQueue<(PeerId Peer, Exception Error)> Rejections { get; } = new();

    public ConcurrentQueue<string> Log { get; }

    public static async Task<SyncingPeer> StartAsync()
    {
        (MemoryStore db, Blockchain chain) = CertifiedChainBuilder.OpenEmpty();
        ConcurrentQueue<string> log = new();
        Host host = new(new HostOptions { AgentVersion = "cere-test/syncing", Log = log.Enqueue });
        await host.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        CertificateStore certificates = new(db);
        BlockSyncProtocol protocol = new(new RequestResponseService(host), new ChainTopics(chain.Spec.ChainId), chain, certificates);
        protocol.Register();
        ConnectionManager connections = new(host, new PeerStore());
        BlockSynchronizer sync = new(
            host, protocol, CertifiedBlockImporterTests.Importer(chain, certificates),
            penalize: (peer, reason) => connections.BanAsync(peer, TimeSpan.FromMinutes(10), reason), log: log.Enqueue)
        {
            RangeSize = 16, ProgressInterval = TimeSpan.FromMilliseconds(500),
        };
        SyncingPeer p = new(db, chain, host, connections, sync, log);
        sync.PeerRejected += (peer, e) => p.Rejections.Enqueue((peer, e));
        return p;
    }

    public async Task ConnectAsync(Host peer)
    {
        await Host.DialAsync(peer.ListenAddresses[0].WithPeerId(peer.PeerId));
    }

    public async ValueTask DisposeAsync()
    {
        await Sync.DisposeAsync();
        await Connections.DisposeAsync();
        await Host.DisposeAsync();
        Db.Dispose();
    }
}

/// <summary>
/// A peer serving a certified chain over the sync protocols: honestly (<see cref="BlockSyncProtocol"/>), or with every
/// range answer passed through a forgery first.
/// </summary>
internal sealed class ServingPeer : IAsyncDisposable
{
    private ServingPeer(Host host) => Host = host;

    public Host Host { get; }

    public PeerId PeerId => Host.PeerId;

    public static async Task<ServingPeer> HonestAsync(CertifiedChainBuilder source)
    {
        Host host = await ListenAsync();
        new BlockSyncProtocol(new RequestResponseService(host), new ChainTopics(source.Chain.Spec.ChainId), source.Chain, source.Certificates).Register();
        return new ServingPeer(host);
    }

    /// <summary>
    /// A peer claiming <paramref name="status"/> (the source's own by default) that answers a range request with
    /// <paramref name="answer"/>'s bytes for the heights asked.
    /// </summary>
    public static async Task<ServingPeer> ForgingAsync(CertifiedChainBuilder source, Func<ulong, int, byte[]> answer, ChainStatus? status = null, OverlapProbe? probe = null)
    {
        Host host = await ListenAsync();
        ChainTopics topics = new(source.Chain.Spec.ChainId);
        RequestResponseService requests = new(host);
        ChainStatus honest = new BlockSyncProtocol(requests, topics, source.Chain, source.Certificates).LocalStatus;
        byte[] statusBytes = (status ?? honest).Encode();
        requests.Register(topics.Status, (_, _, _) => Task.FromResult(Response.Ok(statusBytes)));
        requests.Register(topics.BlocksByRange, async (_, request, ct) =>
        {
            ulong start = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(request.Span);
            int count = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(request.Span[8..]);
            if (probe is not null)
            {
                await probe.HoldAsync(ct);
            }

            return Response.Ok(answer(start, count));
        }, new RequestResponseOptions { MaxRequestSize = 12 });
        return new ServingPeer(host);
    }

    /// <summary>A range answer: each height's commit message from <paramref name="commitAt"/>, framed as the protocol frames them.</summary>
    public static byte[] Frame(ulong start, int count, ulong head, Func<ulong, byte[]> commitAt)
    {
        using MemoryStream s = new();
        byte[] prefix = new byte[10];
        for (ulong h = start; h < start + (ulong)count && h <= head; h++)
        {
            byte[] item = commitAt(h);
            int n = Varint.Write((ulong)item.Length, prefix);
            s.Write(prefix, 0, n);
            s.Write(item);
        }

        return s.ToArray();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static async Task<Host> ListenAsync()
    {
        Host host = new(new HostOptions { AgentVersion = "cere-test/serving" });
        await host.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        return host;
    }
}

/// <summary>Holds each range answer a moment and records how many were being answered at once, over several peers.</summary>
internal sealed class OverlapProbe(TimeSpan hold)
{
    private int _now;
    private int _max;

    public int MaxConcurrent => Volatile.Read(ref _max);

    public async Task HoldAsync(CancellationToken ct)
    {
        int now = Interlocked.Increment(ref _now);
        int seen = Volatile.Read(ref _max);
        while (now > seen && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
            seen = Volatile.Read(ref _max);
        }

        try
        {
            await Task.Delay(hold, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _now);
        }
    }
}
