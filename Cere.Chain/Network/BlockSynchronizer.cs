using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.P2P.Crypto;
using Cere.P2P.Hosting;
using Cere.P2P.RequestResponse;

namespace Cere.Chain.Network;

/// <summary>
/// Catches a node up that fell behind (a restart, a partition): fetches the decided blocks after the head one by one
/// from connected peers and hands each, with its certificate, to consensus, which commits it like a decision of its own.
/// </summary>
/// <remarks>One catch-up runs at a time; a request while one runs is folded into it.</remarks>
public sealed class BlockSynchronizer : IAsyncDisposable
{
    private readonly Host _host;
    private readonly BlockSyncProtocol _protocol;
    private readonly Blockchain _chain;
    private readonly ConsensusService _consensus;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private Task? _running;
    private bool _again;
    private ulong _seenHeight;

    /// <summary>A synchronizer fetching over <paramref name="protocol"/> from <paramref name="host"/>'s peers into <paramref name="consensus"/>.</summary>
    public BlockSynchronizer(Host host, BlockSyncProtocol protocol, Blockchain chain, ConsensusService consensus, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(consensus);
        _host = host;
        _protocol = protocol;
        _chain = chain;
        _consensus = consensus;
        _log = log ?? (_ => { });
    }

    /// <summary>
    /// How long a catch-up waits before it asks peers: a node one height behind usually decides by itself within moments,
    /// and the pause spares peers a request per height.
    /// </summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for consensus to commit a fetched block before giving up on this round of catch-up.</summary>
    public TimeSpan CommitWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts a catch-up (or asks the running one to go on once more). <paramref name="seenHeight"/> is the height of a
    /// peer message that suggested we are behind (null: unknown, as when a peer connects); if consensus reaches it by the
    /// time the catch-up starts, peers are not asked.
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
                await Task.Delay(StartDelay, _stop.Token).ConfigureAwait(false);
                ulong seen;
                lock (_lock)
                {
                    seen = _seenHeight;
                    _seenHeight = 0;
                }

                if (_consensus.Height < seen)
                {
                    await CatchUpAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
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
        while (!ct.IsCancellationRequested)
        {
            ulong next = _chain.Head.Number + 1;
            CommitMessage? commit = await FetchAsync(next, ct).ConfigureAwait(false);
            if (commit is null)
            {
                return; // no peer is ahead of us
            }

            _log($"sync: fetched block {next} {commit.Certificate.BlockHash}");
            _consensus.Post(commit);

            // Wait until consensus has committed it and moved to the next height, so the next certificate meets the right height.
            DateTime end = DateTime.UtcNow + CommitWait;
            while (_consensus.Height <= next && DateTime.UtcNow < end)
            {
                await Task.Delay(10, ct).ConfigureAwait(false);
            }

            if (_chain.Head.Number < next)
            {
                _log($"sync: consensus did not commit block {next}; stopping this catch-up");
                return;
            }
        }
    }

    private async Task<CommitMessage?> FetchAsync(ulong height, CancellationToken ct)
    {
        foreach (Connection connection in _host.Connections)
        {
            PeerId peer = connection.RemotePeer;
            try
            {
                CommitMessage? commit = await _protocol.RequestAsync(peer, height, ct).ConfigureAwait(false);
                if (commit is not null)
                {
                    return commit;
                }
            }
            catch (Exception e) when (e is InvalidDataException or RequestFailedException or TimeoutException or IOException or ProtocolNotSupportedException or P2pProtocolException)
            {
                _log($"sync: block {height} from {peer}: {e.Message}");
            }
        }

        return null;
    }
}
