using System.Threading.Channels;
using Cere.Chain.Blocks;
using Cere.Chain.TxPool;
using Cere.Chain.ValidatorKeys;
using Cere.Consensus.Evidence;
using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Rlp;
using Cere.Core.Transactions;

namespace Cere.Chain.Consensus;

/// <summary>
/// Runs this validator's Tendermint machine against the chain: one loop owns the round state and takes peer messages,
/// timer events and block results in order; it builds proposals from the pool, re-executes peers' proposals before
/// voting, and on a decision writes the certificate and commits block, receipts and state, then starts the next height.
/// Without a signer it is an observer (a full node, like CometBFT's non-validator nodes): it takes proposals, votes and
/// certificates from peers, executes and commits what 2/3+ of the stake precommitted, and never proposes, votes, signs or
/// sends a consensus message.
/// </summary>
/// <remarks>
/// Network I/O is the host's: subscribe to <see cref="Broadcast"/> (own signed messages, already durable in the WAL),
/// <see cref="Decided"/> (a committed block with its certificate) and <see cref="PeerAhead"/> (a peer is beyond the
/// next height: sync), and feed received messages to <see cref="Post"/>. Event handlers run on the loop: keep them short.
/// </remarks>
public sealed class ConsensusService : IConsensusOutbox, IAsyncDisposable
{
    private readonly Blockchain _chain;
    private readonly TransactionPool _pool;
    private readonly ProposalExecutor _executor;
    private readonly ValidatorSchedule _schedule;
    private readonly CertificateStore _certificates;
    private readonly Address _coinbase;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly ConsensusDriver _driver;
    private readonly DoubleSignGuard? _guard;
    // Two queues: the node's own inputs (timers, block results; few, and losing one could stall a height) are never
    // dropped; peer messages are bounded and dropped when full, so a flood cannot grow memory (the rebroadcast of
    // honest validators repairs a drop). One semaphore counts the items of both, so the loop waits without polling.
    private readonly Channel<ConsensusInput> _own = Channel.CreateUnbounded<ConsensusInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ConsensusInput> _peers = Channel.CreateBounded<ConsensusInput>(new BoundedChannelOptions(PeerQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _pending = new(0);
    private readonly Dictionary<Hash256, ExecutedBlock> _executed = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _height;
    private long _droppedPeerMessages;

    /// <summary>
    /// A service for the validator signing with <paramref name="signer"/>, or an observer when <paramref name="signer"/> is
    /// null (then <paramref name="wal"/> and <paramref name="guard"/> may be null: it signs nothing); nothing runs until
    /// <see cref="Start"/>. With a <paramref name="guard"/>, a newly signed message leaves only once the guard has durably
    /// recorded its position.
    /// </summary>
    /// <exception cref="ArgumentException">A <paramref name="signer"/> without a <paramref name="wal"/>.</exception>
    public ConsensusService(
        Blockchain chain,
        TransactionPool pool,
        ProposalExecutor executor,
        ValidatorSchedule schedule,
        CertificateStore certificates,
        IConsensusSigner? signer,
        ISignatureVerifier verifier,
        ConsensusWal? wal,
        TimeoutSchedule timeouts,
        TimeProvider? time = null,
        Action<string>? log = null,
        DoubleSignGuard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(timeouts);
        _chain = chain;
        _pool = pool;
        _executor = executor;
        _schedule = schedule;
        _certificates = certificates;
        _coinbase = signer?.Address ?? Address.Zero; // an observer is never asked to build, so never names a beneficiary
        IsObserver = signer is null;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _guard = guard;
        TendermintMachine machine = new(chain.Spec.ChainId, signer, verifier, timeouts);
        _driver = new ConsensusDriver(machine, wal, this);
    }

    /// <summary>Peer messages queued for the loop before further ones are dropped.</summary>
    public const int PeerQueueCapacity = 8192;

    /// <summary>An own message was signed (and is in the WAL): send it to the peers.</summary>
    public event Action<ConsensusMessage>? Broadcast;

    /// <summary>A block was decided and committed: announce it with its certificate.</summary>
    public event Action<CommitMessage>? Decided;

    /// <summary>A message for a later height arrived: this node may be behind and should check for decided blocks to fetch.</summary>
    public event Action<ulong>? PeerAhead;

    /// <summary>A validator double-signed.</summary>
    public event Action<DuplicateVoteEvidence>? EvidenceFound;

    /// <summary>True when this service follows without a signer: it never proposes, votes or sends a consensus message.</summary>
    public bool IsObserver { get; }

    /// <summary>The height consensus is working on (0 before the first one starts).</summary>
    public ulong Height => (ulong)Interlocked.Read(ref _height);

    /// <summary>The machine's round (read from another thread: for logs and tests only).</summary>
    public int Round => _driver.Machine.Round;

    /// <summary>Peer messages dropped because the queue was full.</summary>
    public long DroppedPeerMessages => Interlocked.Read(ref _droppedPeerMessages);

    /// <summary>Set when the loop stopped on a fault it cannot recover from (a decided block that does not execute).</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Starts the loop at the height after the head (replaying own messages of that height from the WAL).</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        Enqueue(new StartHeightInput(_chain.Head.Number + 1));
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a message received from a peer (or from block sync).</summary>
    public void Post(ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_peers.Writer.TryWrite(new PeerMessageInput(message)))
        {
            Signal();
        }
        else
        {
            Interlocked.Increment(ref _droppedPeerMessages);
        }
    }

    /// <summary>
    /// Tells the loop that the head moved without it (block sync committed certified blocks): the pool drops what those
    /// blocks used up, and consensus starts the height after the new head (a stale request is ignored).
    /// </summary>
    public void OnHeadAdvanced()
    {
        BlockHeader head = _chain.Head;
        _pool.OnNewHead(_chain.OpenState(head.StateRoot));
        Enqueue(new StartHeightInput(head.Number + 1));
    }

    /// <inheritdoc/>
    void IConsensusOutbox.Emit(ConsensusEffect effect)
    {
        switch (effect)
        {
            case SignedMessageEffect s:
                if (Authorized(s.Message))
                {
                    Broadcast?.Invoke(s.Message);
                }

                break;
            case BroadcastEffect b when !IsObserver:
                // An observer's machine re-sends the proposal it holds; peers have it from its author, and an observer
                // publishes nothing on the consensus topic.
                Broadcast?.Invoke(b.Message);
                break;
            case ScheduleTimeoutEffect t:
                _ = FireAfterAsync(new TimeoutInput(t.Timeout), t.DelayMs);
                break;
            case BuildBlockEffect b:
                BuildProposal(b);
                break;
            case ValidateBlockEffect v:
                ValidateProposal(v);
                break;
            case DecideEffect d:
                CommitDecision(d);
                break;
            case EvidenceEffect e:
                _log($"consensus: evidence of a double sign by {e.Evidence.Validator} at height {e.Evidence.Height} round {e.Evidence.VoteA.Round}");
                EvidenceFound?.Invoke(e.Evidence);
                break;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _own.Writer.TryComplete();
        _peers.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _pending.Dispose();
    }

    private bool Authorized(ConsensusMessage m)
    {
        if (_guard is null)
        {
            return true;
        }

        (int round, SignedKind kind) = m switch
        {
            Proposal p => (p.Round, SignedKind.Proposal),
            Vote v => (v.Round, v.Type == VoteType.Prevote ? SignedKind.Prevote : SignedKind.Precommit),
            _ => (-1, default),
        };
        if (round < 0 || _guard.TryAuthorize(m.Height, round, kind))
        {
            return true;
        }

        // The guard has a position at or after this one: something was signed there before (a lost WAL, a second process).
        _log($"consensus: not releasing {m}: the double-sign guard last authorized {_guard.LastSigned}");
        return false;
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _pending.WaitAsync(_stop.Token).ConfigureAwait(false);
                if (_own.Reader.TryRead(out ConsensusInput? input) || _peers.Reader.TryRead(out input))
                {
                    Handle(input);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // any fault stops consensus visibly (Fault + log) instead of an unobserved task exception
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Fault = e;
            _log($"consensus: FATAL {e.GetType().Name}: {e.Message}; the consensus loop stopped");
        }
    }

    private void Handle(ConsensusInput input)
    {
        switch (input)
        {
            case PeerMessageInput m:
                RejectReason r = _driver.OnMessage(m.Message);
                if (r is RejectReason.FutureHeight or RejectReason.BufferedForNextHeight)
                {
                    // Peers have moved on. Usually we follow within moments; if we missed the decision (and its
                    // announcement), nobody sends this height's messages again, so the host must fetch the block.
                    PeerAhead?.Invoke(m.Message.Height);
                }

                break;
            case TimeoutInput t:
                _driver.OnTimeout(t.Timeout);
                break;
            case BlockBuiltInput b:
                _driver.OnBlockBuilt(b.Height, b.Round, b.BlockHash, b.Block);
                break;
            case BlockValidatedInput v:
                _driver.OnBlockValidated(v.Height, v.BlockHash, v.Valid);
                break;
            case StartHeightInput s:
                StartHeight(s.Height);
                break;
        }
    }

    private void StartHeight(ulong height)
    {
        // Only the loop commits, so the head cannot move under us; a stale request (a sync decided meanwhile) is dropped.
        if (height != _chain.Head.Number + 1 || height <= Height)
        {
            return;
        }

        _executed.Clear();
        Interlocked.Exchange(ref _height, (long)height);
        _driver.StartHeight(height, _schedule.ForHeight(height));
        if (_driver.ReplayedMessages > 0)
        {
            _log($"consensus: height {height} resumed with {_driver.ReplayedMessages} own messages from the WAL");
        }
    }

    private void BuildProposal(BuildBlockEffect b)
    {
        BlockHeader head = _chain.Head;
        if (b.Height != head.Number + 1)
        {
            return;
        }

        ExecutedBlock built;
        try
        {
            built = _executor.Build(head, _pool.Pending(_chain.OpenState(head.StateRoot)), _coinbase);
        }
#pragma warning disable CA1031 // a failed build skips our proposal (the round times out and moves on) instead of stopping consensus
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            _log($"consensus: building the proposal of height {b.Height} round {b.Round} failed ({e.GetType().Name}: {e.Message})");
            return;
        }

        _executed[built.Block.Hash] = built;
        Enqueue(new BlockBuiltInput(b.Height, b.Round, built.Block.Hash, built.Encoded));
    }

    private void ValidateProposal(ValidateBlockEffect v)
    {
        bool valid = false;
        BlockHeader head = _chain.Head;
        try
        {
            if (_executed.ContainsKey(v.BlockHash))
            {
                valid = true;
            }
            else if (v.Height == head.Number + 1)
            {
                Block block = BlockCodec.Decode(v.Block);
                _pool.ReusePooled(block.Transactions); // their senders were recovered on admission: not again
                if (block.Hash != v.BlockHash)
                {
                    _log($"consensus: proposal at height {v.Height} names block {v.BlockHash} but carries {block.Hash}");
                }
                else
                {
                    _executed[v.BlockHash] = _executor.Execute(head, block, v.Block);
                    valid = true;
                }
            }
        }
        catch (Exception e) when (e is InvalidBlockException or RlpException or TransactionException)
        {
            _log($"consensus: proposal {v.BlockHash} at height {v.Height} is invalid: {e.Message}");
        }
#pragma warning disable CA1031 // a peer's block must not be able to stop consensus: whatever fails in it, we do not vote for it
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            _log($"consensus: proposal {v.BlockHash} at height {v.Height} failed to execute ({e.GetType().Name}: {e.Message}); voting nil");
        }

        Enqueue(new BlockValidatedInput(v.Height, v.BlockHash, valid));
    }

    private void CommitDecision(DecideEffect d)
    {
        BlockHeader head = _chain.Head;
        if (d.Height <= head.Number && AlreadyCommitted(d))
        {
            return;
        }

        if (d.Height != head.Number + 1)
        {
            throw new ConsensusFaultException($"decided height {d.Height} does not follow the head {head.Number}");
        }

        if (!_executed.TryGetValue(d.BlockHash, out ExecutedBlock? done))
        {
            // Decided through a certificate (sync, or a peer's announcement) without having voted: execute now.
            try
            {
                Block block = BlockCodec.Decode(d.Block);
                if (block.Hash != d.BlockHash)
                {
                    throw new InvalidBlockException($"the certificate names block {d.BlockHash} but the bytes are block {block.Hash}");
                }

                done = _executor.Execute(head, block, d.Block);
            }
            catch (Exception e) when (e is InvalidBlockException or RlpException or TransactionException)
            {
                throw new ConsensusFaultException($"block {d.BlockHash} decided at height {d.Height} does not execute here: {e.Message}", e);
            }
        }

        // Block, receipts, state and certificate in one batch; false when block sync committed this height meanwhile.
        if (!_certificates.CommitWithBlock(_chain, done.Block, done.Receipts, done.State, d.Certificate))
        {
            if (!AlreadyCommitted(d))
            {
                Enqueue(new StartHeightInput(_chain.Head.Number + 1));
            }

            return;
        }

        foreach ((Transaction tx, string reason) in done.Rejected)
        {
            _pool.Remove(tx);
            _log($"tx dropped hash={tx.Hash} reason=\"{reason}\"");
        }

        _pool.OnNewHead(_chain.OpenState(done.Block.Header.StateRoot));
        _executed.Clear();
        BlockHeader h = done.Block.Header;
        _log($"consensus: finalized number={h.Number} hash={h.Hash} round={d.Round} txs={done.Block.Transactions.Length} signers={d.Certificate.Signatures.Length} stateRoot={h.StateRoot}");
        Decided?.Invoke(new CommitMessage(d.Certificate, d.Block));

        // Like CometBFT's timeout_commit: wait until the clock passes the head's second, so the next block's timestamp
        // (max(now, parent + 1)) follows the wall clock instead of running ahead of it.
        long waitMs = Math.Clamp(((long)h.Timestamp + 1) * 1000 - _time.GetUtcNow().ToUnixTimeMilliseconds(), 0, 1000);
        StartHeightInput next = new(d.Height + 1);
        if (waitMs == 0)
        {
            Enqueue(next);
        }
        else
        {
            _ = FireAfterAsync(next, waitMs);
        }
    }

    // A decision for a height block sync has already committed: the same block (BFT safety) is skipped and consensus moves
    // on to the height after the head; a different one means the chain and a 2/3+ certificate disagree.
    private bool AlreadyCommitted(DecideEffect d)
    {
        Hash256? stored = _chain.Blocks.ReadCanonicalHash(d.Height);
        if (stored is null)
        {
            return false;
        }

        if (stored.Value != d.BlockHash)
        {
            throw new ConsensusFaultException($"decided block {d.BlockHash} at height {d.Height}, but {stored} is committed there");
        }

        _executed.Clear();
        Enqueue(new StartHeightInput(_chain.Head.Number + 1));
        return true;
    }

    private void Enqueue(ConsensusInput input)
    {
        if (_own.Writer.TryWrite(input))
        {
            Signal();
        }
    }

    private void Signal()
    {
        try
        {
            _pending.Release();
        }
        catch (ObjectDisposedException)
        {
            // Written just as the service stopped: nobody reads any more.
        }
    }

    private async Task FireAfterAsync(ConsensusInput input, long delayMs)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        Enqueue(input);
    }
}
