using System.Diagnostics;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.RequestResponse;

namespace Cere.Chain.Network;

/// <summary>
/// Catches a node up that is behind (a restart, a partition, a new node at genesis): asks connected peers for their
/// head, splits the missing heights into ranges, fetches several ranges from different peers at once, verifies each
/// range's certificates as it arrives (off the commit path), and imports the blocks in order with
/// <see cref="CertifiedBlockImporter"/>. A peer that sends an invalid block or certificate, garbage, or is on another
/// chain is scored down and dropped (<see cref="PeerRejected"/>, then the penalty callback, which bans it), and its
/// range is fetched from another peer. Once caught up, the caught-up callback lets consensus start after the new head.
/// </summary>
/// <remarks>One catch-up runs at a time; a request while one runs is folded into it. A progress line is logged every
/// <see cref="ProgressInterval"/> while blocks are fetched.</remarks>
public sealed class BlockSynchronizer : IAsyncDisposable
{
    private readonly Host _host;
    private readonly BlockSyncProtocol _protocol;
    private readonly CertifiedBlockImporter _importer;
    private readonly Func<ulong> _workingHeight;
    private readonly Action _caughtUp;
    private readonly Func<PeerId, string, Task> _penalize;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, int> _penalties = [];
    private Task? _running;
    private bool _again;
    private ulong _seenHeight;
    private int _syncing;
    private long _startingBlock;
    private long _highestBlock;
    private int _activePeers;

    /// <summary>
    /// A synchronizer fetching over <paramref name="protocol"/> from <paramref name="host"/>'s peers into
    /// <paramref name="importer"/>'s chain.
    /// </summary>
    /// <param name="host">The host whose connected peers are asked.</param>
    /// <param name="protocol">The sync protocols.</param>
    /// <param name="importer">Verifies and commits certified blocks.</param>
    /// <param name="workingHeight">The height this node works on (consensus); a hint of a height not above it needs no sync. Null: the head's child.</param>
    /// <param name="caughtUp">Called after a catch-up committed blocks (consensus starts the height after the new head).</param>
    /// <param name="penalize">Drops a peer that sent invalid data, with the reason (ban it). Null: only disconnect it.</param>
    /// <param name="log">Operator log lines.</param>
    public BlockSynchronizer(
        Host host,
        BlockSyncProtocol protocol,
        CertifiedBlockImporter importer,
        Func<ulong>? workingHeight = null,
        Action? caughtUp = null,
        Func<PeerId, string, Task>? penalize = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(importer);
        _host = host;
        _protocol = protocol;
        _importer = importer;
        _workingHeight = workingHeight ?? (() => importer.Chain.Head.Number + 1);
        _caughtUp = caughtUp ?? (() => { });
        _penalize = penalize ?? ((peer, _) => host.HangUpAsync(peer));
        _log = log ?? (_ => { });
    }

    /// <summary>
    /// How long a hinted catch-up waits before it asks peers: a node one height behind usually decides by itself within
    /// moments, and the pause spares peers the requests.
    /// </summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Blocks asked for in one range request (at most <see cref="BlockSyncProtocol.MaxRangeCount"/>).</summary>
    public int RangeSize { get; init; } = 128;

    /// <summary>Range requests in flight at once, over all peers.</summary>
    public int MaxParallelRanges { get; init; } = 8;

    /// <summary>Range requests in flight at once to one peer.</summary>
    public int MaxRangesPerPeer { get; init; } = 2;

    /// <summary>Fetched ranges (in flight or waiting for import) held at once: bounds memory when import is the slower side.</summary>
    public int MaxBufferedRanges { get; init; } = 16;

    /// <summary>Timeouts or error answers after which a peer is left out of the rest of a catch-up.</summary>
    public int MaxPeerFailures { get; init; } = 3;

    /// <summary>How often the progress line is logged while syncing.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Raised (on a sync thread) when a peer's data is refused, before the peer is penalized.</summary>
    public event Action<PeerId, Exception>? PeerRejected;

    /// <summary>Where sync stands now.</summary>
    public SyncProgress Progress
    {
        get
        {
            ulong head = _importer.Chain.Head.Number;
            if (Volatile.Read(ref _syncing) == 0)
            {
                return SyncProgress.Idle(head);
            }

            ulong highest = (ulong)Interlocked.Read(ref _highestBlock);
            return new SyncProgress(head < highest, (ulong)Interlocked.Read(ref _startingBlock), head, Math.Max(highest, head));
        }
    }

    /// <summary>How many times <paramref name="peer"/> was caught sending invalid data (0 for a peer never caught).</summary>
    public int PenaltyOf(PeerId peer)
    {
        lock (_lock)
        {
            return _penalties.GetValueOrDefault(peer);
        }
    }

    /// <summary>
    /// Starts a catch-up (or asks the running one to go on once more). <paramref name="seenHeight"/> is the height of a
    /// peer message that suggested we are behind (null: unknown, as when a peer connects); if this node's working height
    /// reaches it by the time the catch-up starts, peers are not asked.
    /// </summary>
    public void Trigger(ulong? seenHeight = null)
    {
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _seenHeight = Math.Max(_seenHeight, seenHeight ?? ulong.MaxValue);
            if (_running is { IsCompleted: false })
            {
                _again = true;
                return;
            }

            _running = Task.Run(RunAsync);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            running = _running;
        }

        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                ulong seen;
                lock (_lock)
                {
                    seen = _seenHeight;
                }

                // A peer that just connected is asked at once; a hint from a message waits in case consensus follows by itself.
                if (seen != ulong.MaxValue)
                {
                    await Task.Delay(StartDelay, _stop.Token).ConfigureAwait(false);
                }

                lock (_lock)
                {
                    seen = _seenHeight;
                    _seenHeight = 0;
                }

                if (_workingHeight() < seen)
                {
                    await CatchUpAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a bug in one catch-up must not end sync for good: log it, the next trigger tries again
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _log($"sync: catch-up failed ({e.GetType().Name}: {e.Message})");
            }

            lock (_lock)
            {
                if (!_again || _stop.IsCancellationRequested)
                {
                    return;
                }

                _again = false;
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        bool imported = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Dictionary<PeerId, SyncPeer> peers = await AskStatusAsync(ct).ConfigureAwait(false);
                ulong target = 0;
                foreach (SyncPeer p in peers.Values)
                {
                    target = Math.Max(target, p.Head);
                }

                ulong head = _importer.Chain.Head.Number;
                if (target <= head)
                {
                    return;
                }

                if (Interlocked.Exchange(ref _syncing, 1) == 0)
                {
                    Interlocked.Exchange(ref _startingBlock, (long)head);
                    _log($"sync: head {head}, peers are at {target}: fetching {target - head} blocks from {peers.Count} peers");
                }

                Interlocked.Exchange(ref _highestBlock, (long)target);
                ulong reached = await FetchAndImportAsync(peers, target, ct).ConfigureAwait(false);
                imported |= reached > head;
                if (reached == head)
                {
                    _log($"sync: no peer served the blocks after {head}; waiting for the next trigger");
                    return;
                }
            }
        }
        finally
        {
            if (Volatile.Read(ref _syncing) == 1)
            {
                _log($"sync: done at {_importer.Chain.Head.Number} {_importer.Chain.Head.Hash}");
            }

            Interlocked.Exchange(ref _syncing, 0);
            if (imported)
            {
                _caughtUp();
            }
        }
    }

    // The head of every connected peer on this chain; peers on another chain (or answering garbage) are penalized.
    private async Task<Dictionary<PeerId, SyncPeer>> AskStatusAsync(CancellationToken ct)
    {
        List<(PeerId Peer, Task<ChainStatus> Status)> asks = [];
        HashSet<PeerId> asked = [];
        foreach (Connection c in _host.Connections)
        {
            if (!c.IsClosed && asked.Add(c.RemotePeer))
            {
                asks.Add((c.RemotePeer, _protocol.RequestStatusAsync(c.RemotePeer, ct)));
            }
        }

        Dictionary<PeerId, SyncPeer> peers = [];
        foreach ((PeerId peer, Task<ChainStatus> ask) in asks)
        {
            try
            {
                ChainStatus status = await ask.ConfigureAwait(false);
                peers[peer] = new SyncPeer(peer, status.HeadNumber);
            }
            catch (Exception e) when (e is WrongChainException or InvalidDataException)
            {
                await RejectAsync(peer, e).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                _log($"sync: status of {peer}: {e.Message}");
            }
        }

        return peers;
    }

    // Fetches [head + 1, target] and imports it in order; returns the head reached.
    private async Task<ulong> FetchAndImportAsync(Dictionary<PeerId, SyncPeer> peers, ulong target, CancellationToken ct)
    {
        RangePlan plan = new(_importer.Chain.Head.Number + 1, target, RangeSize);
        Dictionary<Task, RangeJob> fetching = [];
        SortedDictionary<ulong, FetchedRange> ready = [];
        Task<ImportOutcome>? importing = null;
        ulong nextImport = plan.First;
        Volatile.Write(ref _activePeers, peers.Count);
        using CancellationTokenSource progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task progress = LogProgressAsync(progressStop.Token);
        try
        {
            while (true)
            {
                Schedule(plan, peers, fetching, ready.Count, nextImport, ct);
                if (importing is null && ready.Remove(nextImport, out FetchedRange? next))
                {
                    importing = Task.Run(() => ImportRange(next, ct), ct);
                }

                if (importing is null && fetching.Count == 0)
                {
                    return _importer.Chain.Head.Number; // done, or no peer can serve the rest
                }

                List<Task> waits = [.. fetching.Keys];
                if (importing is not null)
                {
                    waits.Add(importing);
                }

                Task finished = await Task.WhenAny(waits).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                if (finished == importing)
                {
                    ImportOutcome outcome = await importing.ConfigureAwait(false);
                    importing = null;
                    nextImport = outcome.NextHeight;
                    if (outcome.Error is not null)
                    {
                        // The rest of that range (from the failed block) comes again, from someone else.
                        plan.Requeue(outcome.NextHeight, outcome.RangeEnd);
                        await RejectAsync(outcome.Range.Peer, outcome.Error, peers).ConfigureAwait(false);
                    }

                    continue;
                }

                RangeJob job = fetching[finished];
                fetching.Remove(finished);
                job.Peer.InFlight--;
                await OnFetchedAsync(job, (Task<FetchedRange?>)finished, plan, peers, ready, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
            if (importing is not null)
            {
                await ((Task)importing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            foreach (Task t in fetching.Keys)
            {
                await t.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    // Starts range requests while there are ranges, free peers and buffer room; the range the import waits for always goes.
    private void Schedule(RangePlan plan, Dictionary<PeerId, SyncPeer> peers, Dictionary<Task, RangeJob> fetching, int readyCount, ulong nextImport, CancellationToken ct)
    {
        while (fetching.Count < MaxParallelRanges && plan.TryPeek(out ulong start, out ulong end))
        {
            if (start != nextImport && fetching.Count + readyCount >= MaxBufferedRanges)
            {
                return;
            }

            SyncPeer? peer = null;
            foreach (SyncPeer p in peers.Values)
            {
                if (p.Head >= start && p.InFlight < MaxRangesPerPeer && (peer is null || p.InFlight < peer.InFlight || (p.InFlight == peer.InFlight && p.Served < peer.Served)))
                {
                    peer = p;
                }
            }

            if (peer is null)
            {
                return; // every peer that has these heights is busy (or none has them)
            }

            plan.Take();
            ulong last = Math.Min(end, peer.Head);
            if (last < end)
            {
                plan.Requeue(last + 1, end);
            }

            RangeJob job = new(peer, start, last);
            peer.InFlight++;
            peer.Served++;
            fetching[FetchAsync(job, ct)] = job;
        }
    }

    // Requests and verifies one range on a pool thread (the import thread never waits on signature recovery).
    private async Task<FetchedRange?> FetchAsync(RangeJob job, CancellationToken ct)
    {
        int count = (int)(job.End - job.Start + 1);
        IReadOnlyList<ReadOnlyMemory<byte>>? items = await _protocol.RequestRangeAsync(job.Peer.Id, job.Start, count, ct).ConfigureAwait(false);
        if (items is null)
        {
            return null;
        }

        return await Task.Run(
            () =>
            {
                VerifiedCommit[] verified = new VerifiedCommit[items.Count];
                for (int i = 0; i < verified.Length; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    verified[i] = _importer.Verify(items[i].Span, job.Start + (ulong)i);
                }

                return new FetchedRange(job.Peer.Id, job.Start, verified);
            },
            ct).ConfigureAwait(false);
    }

    private async Task OnFetchedAsync(RangeJob job, Task<FetchedRange?> fetch, RangePlan plan, Dictionary<PeerId, SyncPeer> peers, SortedDictionary<ulong, FetchedRange> ready, CancellationToken ct)
    {
        try
        {
            FetchedRange? range = await fetch.ConfigureAwait(false);
            if (range is null)
            {
                // The peer no longer has these heights (it said it did): ask others, and it for nothing above.
                job.Peer.Head = job.Start - 1;
                plan.Requeue(job.Start, job.End);
                return;
            }

            ready[job.Start] = range;
            ulong got = job.Start + (ulong)range.Commits.Length - 1;
            if (got < job.End)
            {
                plan.Requeue(got + 1, job.End); // a byte budget or the peer's head cut the answer short
            }
        }
        catch (CertifiedBlockException e)
        {
            plan.Requeue(job.Start, job.End);
            await RejectAsync(job.Peer.Id, e, peers).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            plan.Requeue(job.Start, job.End);
            job.Peer.Failures++;
            _log($"sync: blocks {job.Start}-{job.End} from {job.Peer.Id}: {e.GetType().Name}: {e.Message}");
            if (job.Peer.Failures >= MaxPeerFailures)
            {
                _log($"sync: leaving {job.Peer.Id} out of this catch-up after {job.Peer.Failures} failures");
                peers.Remove(job.Peer.Id);
                Volatile.Write(ref _activePeers, peers.Count);
            }
        }
    }

    // Imports a fetched range in order on a pool thread; stops at the first refused block.
    private ImportOutcome ImportRange(FetchedRange range, CancellationToken ct)
    {
        ulong end = range.Start + (ulong)range.Commits.Length - 1;
        for (int i = 0; i < range.Commits.Length; i++)
        {
            if (ct.IsCancellationRequested)
            {
                return new ImportOutcome(range, range.Start + (ulong)i, end, null);
            }

            try
            {
                _importer.Import(range.Commits[i]);
            }
            catch (CertifiedBlockException e)
            {
                return new ImportOutcome(range, range.Start + (ulong)i, end, e);
            }
        }

        return new ImportOutcome(range, end + 1, end, null);
    }

    private Task RejectAsync(PeerId peer, Exception error, Dictionary<PeerId, SyncPeer> peers)
    {
        if (peers.Remove(peer))
        {
            Volatile.Write(ref _activePeers, peers.Count);
        }

        return RejectAsync(peer, error);
    }

    private async Task RejectAsync(PeerId peer, Exception error)
    {
        int penalties;
        lock (_lock)
        {
            penalties = _penalties.GetValueOrDefault(peer) + 1;
            _penalties[peer] = penalties;
        }

        _log($"sync: dropping peer {peer} (penalty {penalties}): {error.GetType().Name}: {error.Message}");
        PeerRejected?.Invoke(peer, error);
        try
        {
            await _penalize(peer, $"block sync: {error.GetType().Name}: {error.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is already going away.
        }
    }

    private async Task LogProgressAsync(CancellationToken ct)
    {
        Stopwatch clock = Stopwatch.StartNew();
        ulong from = _importer.Chain.Head.Number;
        using PeriodicTimer timer = new(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                ulong height = _importer.Chain.Head.Number;
                ulong target = (ulong)Interlocked.Read(ref _highestBlock);
                double rate = (height - from) / clock.Elapsed.TotalSeconds;
                string eta = rate > 0 && target > height ? $"{(target - height) / rate:0}" : "?";
                _log($"sync: height={height} target={target} blocks/s={rate:0.0} eta={eta}s peers={Volatile.Read(ref _activePeers)}");
            }
        }
        catch (OperationCanceledException)
        {
            // Sync ended.
        }
    }

    private static bool IsTransient(Exception e, CancellationToken ct) =>
        e is RequestFailedException or TimeoutException or IOException or ProtocolNotSupportedException or P2pProtocolException or InvalidOperationException or ObjectDisposedException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>A peer taking part in a catch-up.</summary>
    private sealed class SyncPeer(PeerId id, ulong head)
    {
        public PeerId Id { get; } = id;

        public ulong Head { get; set; } = head;

        public int InFlight { get; set; }

        public int Served { get; set; }

        public int Failures { get; set; }
    }

    private sealed record RangeJob(SyncPeer Peer, ulong Start, ulong End);

    private sealed record FetchedRange(PeerId Peer, ulong Start, VerifiedCommit[] Commits);

    private sealed record ImportOutcome(FetchedRange Range, ulong NextHeight, ulong RangeEnd, CertifiedBlockException? Error);
}
