using System.Runtime.CompilerServices;
using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Rlp;
using Cere.Core.Transactions;
using Cere.P2P.PubSub;

namespace Cere.Chain.Network;

/// <summary>
/// The chain's gossip on a <see cref="GossipsubService"/>: consensus messages, transactions and decided blocks on the
/// chain's topics (<see cref="ChainTopics"/>). Every message is checked before it is delivered or forwarded; one that
/// does not decode, belongs to another chain or carries a bad signature is rejected, which lowers its sender's score
/// (gossipsub v1.1 P4) until the peer is graylisted and dropped.
/// </summary>
/// <remarks>
/// Transactions leave in batches (<see cref="ChainTopics.TransactionBatches"/>): those published within
/// <see cref="TransactionBatchDelay"/> share one message, so one author signature, one message id and one frame per peer
/// serve many, and a node's burst reaches its peers in nonce order. What a validator decoded (and the senders it
/// recovered) is handed to the subscriber, so a received transaction is decoded and recovered once.
/// </remarks>
public sealed class ChainGossip : IDisposable
{
    private readonly GossipsubService _gossip;
    private readonly ISignatureVerifier _verifier;
    private readonly ValidatorSchedule _schedule;
    private readonly Action<string> _log;
    private readonly List<IDisposable> _subscriptions = [];
    // Validators run before delivery on the same GossipMessage object: the decoded payload waits here for the subscriber.
    private readonly ConditionalWeakTable<GossipMessage, object> _decoded = [];
    private readonly Lock _batchLock = new();
    private readonly Timer _flushTimer;
    private List<Transaction> _batch = [];
    private int _batchBytes;
    private long _rejected;
    private long _highestBlockSeen;
    private int _disposed;

    /// <summary>Gossip for <paramref name="topics"/>' chain on <paramref name="gossip"/>; votes are checked against <paramref name="schedule"/>'s members.</summary>
    public ChainGossip(GossipsubService gossip, ChainTopics topics, ISignatureVerifier verifier, ValidatorSchedule schedule, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(gossip);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(schedule);
        _gossip = gossip;
        Topics = topics;
        _verifier = verifier;
        _schedule = schedule;
        _log = log ?? (_ => { });
        _flushTimer = new Timer(_ => FlushTransactions());
    }

    /// <summary>How long a published transaction waits for others to share its batch (the first one starts the clock).</summary>
    public TimeSpan TransactionBatchDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A batch is sent at once when its transactions reach this many encoded bytes.</summary>
    public int MaxBatchBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// This node's validator address, or null for a full node. The proposer of a certificate's round announces the
    /// decided block at once; every other node announces it only if no announcement of it arrived on the blocks topic
    /// within <see cref="BlockAnnounceGrace"/> (a silent or crashed proposer).
    /// </summary>
    public Address? LocalValidator { get; init; }

    /// <summary>How long a non-proposer waits for the proposer's announcement of a decided block before announcing it itself.</summary>
    public TimeSpan BlockAnnounceGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The topic names.</summary>
    public ChainTopics Topics { get; }

    /// <summary>Messages rejected by validation so far (for logs and tests).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Sets the validators and subscribes; the handlers run on the gossip delivery task, one at a time.</summary>
    public void Start(Action<ConsensusMessage> onConsensus, Action<Transaction> onTransaction, Action<CommitMessage> onBlock)
    {
        ArgumentNullException.ThrowIfNull(onConsensus);
        ArgumentNullException.ThrowIfNull(onTransaction);
        ArgumentNullException.ThrowIfNull(onBlock);
        _gossip.SetValidator(Topics.Consensus, ValidateConsensus);
        _gossip.SetValidator(Topics.Transactions, ValidateTransaction);
        _gossip.SetValidator(Topics.TransactionBatches, ValidateTransactionBatch);
        _gossip.SetValidator(Topics.Blocks, ValidateBlock);
        _subscriptions.Add(_gossip.Subscribe(Topics.Consensus, m => onConsensus(Taken(m) as ConsensusMessage ?? ConsensusCodec.Decode(m.Data.Span))));
        _subscriptions.Add(_gossip.Subscribe(Topics.Transactions, m => onTransaction(Taken(m) as Transaction ?? TransactionDecoder.Decode(m.Data.Span))));
        _subscriptions.Add(_gossip.Subscribe(Topics.TransactionBatches, m =>
        {
            foreach (Transaction tx in Taken(m) as Transaction[] ?? TransactionBatchCodec.Decode(m.Data.Span))
            {
                onTransaction(tx);
            }
        }));
        _subscriptions.Add(_gossip.Subscribe(Topics.Blocks, m => onBlock(Taken(m) as CommitMessage ?? (CommitMessage)ConsensusCodec.Decode(m.Data.Span))));
    }

    /// <summary>Publishes a proposal or vote.</summary>
    public void PublishConsensus(ConsensusMessage message) => Publish(Topics.Consensus, ConsensusCodec.Encode(message));

    /// <summary>
    /// Queues a transaction for the next batch on <see cref="ChainTopics.TransactionBatches"/>, sent
    /// <see cref="TransactionBatchDelay"/> after the first queued one or as soon as it reaches <see cref="MaxBatchBytes"/>.
    /// </summary>
    public void PublishTransaction(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        int size = TransactionEncoder.LengthInBlock(tx);
        bool full;
        lock (_batchLock)
        {
            if (_disposed != 0)
            {
                return;
            }

            if (_batch.Count == 0)
            {
                _flushTimer.Change(TransactionBatchDelay, Timeout.InfiniteTimeSpan);
            }

            _batch.Add(tx);
            _batchBytes += size;
            full = _batchBytes >= MaxBatchBytes || _batch.Count >= TransactionBatchCodec.MaxTransactions;
        }

        if (full)
        {
            FlushTransactions();
        }
    }

    /// <summary>Sends the queued transactions now (as one batch), if there are any.</summary>
    public void FlushTransactions()
    {
        List<Transaction> batch;
        lock (_batchLock)
        {
            if (_batch.Count == 0)
            {
                return;
            }

            batch = _batch;
            _batch = [];
            _batchBytes = 0;
        }

        Publish(Topics.TransactionBatches, TransactionBatchCodec.Encode(batch));
    }

    /// <summary>
    /// Announces a decided block with its certificate: at once if this node is <see cref="LocalValidator"/> and proposed
    /// in the deciding round, otherwise only if nobody's announcement of it arrived within <see cref="BlockAnnounceGrace"/>.
    /// Gossipsub forwards the one announcement to everyone, so every validator publishing its own copy (a distinct
    /// message each, under StrictSign) only multiplied the traffic and each node's certificate checks by four.
    /// </summary>
    public void PublishBlock(CommitMessage commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (LocalValidator is Address self && IsProposer(commit.Certificate, self))
        {
            Publish(Topics.Blocks, ConsensusCodec.Encode(commit));
            return;
        }

        _ = AnnounceIfUnseenAsync(commit);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_batchLock)
        {
            _disposed = 1;
            _batch.Clear();
        }

        _flushTimer.Dispose();
        foreach (IDisposable s in _subscriptions)
        {
            s.Dispose();
        }

        _subscriptions.Clear();
    }

    private bool IsProposer(CommitCertificate cert, Address self)
    {
        if (cert.Height == 0)
        {
            return false;
        }

        Cere.Consensus.Validators.ValidatorSet set = _schedule.ForHeight(cert.Height);
        return set[set.ProposerIndexForRound(cert.Round)].Address == self;
    }

    private async Task AnnounceIfUnseenAsync(CommitMessage commit)
    {
        await Task.Delay(BlockAnnounceGrace).ConfigureAwait(false);
        if (_disposed == 0 && (ulong)Interlocked.Read(ref _highestBlockSeen) < commit.Height)
        {
            Publish(Topics.Blocks, ConsensusCodec.Encode(commit));
        }
    }

    // The payload a validator decoded for this message (removed: each message is delivered once), or null.
    private object? Taken(GossipMessage m)
    {
        if (_decoded.TryGetValue(m, out object? decoded))
        {
            _decoded.Remove(m);
            return decoded;
        }

        return null;
    }

    private ValidationResult Accept(GossipMessage m, object decoded)
    {
        _decoded.AddOrUpdate(m, decoded);
        return ValidationResult.Accept;
    }

    private void Publish(string topic, byte[] data)
    {
        try
        {
            _gossip.Publish(topic, data);
        }
        catch (DuplicateMessageException)
        {
            // Already sent (a rebroadcast racing the first send): nothing to do.
        }
        catch (ArgumentException e)
        {
            _log($"gossip: not published on {topic}: {e.Message}");
        }
    }

    private ValidationResult ValidateConsensus(GossipMessage m)
    {
        ConsensusMessage message;
        try
        {
            message = ConsensusCodec.Decode(m.Data.Span);
        }
        catch (ConsensusDecodeException e)
        {
            return Reject(m, e.Message);
        }

        if (message.ChainId != Topics.ChainId)
        {
            return Reject(m, $"chain id {message.ChainId}, this chain is {Topics.ChainId}");
        }

        switch (message)
        {
            case Vote v:
                if (_schedule.Members.IndexOf(v.Validator) < 0)
                {
                    return Reject(m, $"vote from {v.Validator}, not a validator");
                }

                return v.VerifySignature(_verifier) ? Accept(m, v) : Reject(m, $"bad signature on {v}");
            case Proposal p:
                if (_schedule.Members.IndexOf(p.Proposer) < 0)
                {
                    return Reject(m, $"proposal from {p.Proposer}, not a validator");
                }

                return p.VerifySignature(_verifier) ? Accept(m, p) : Reject(m, $"bad signature on {p}");
            default:
                return Reject(m, "commit messages belong on the blocks topic");
        }
    }

    private ValidationResult ValidateTransaction(GossipMessage m)
    {
        try
        {
            Transaction tx = TransactionDecoder.Decode(m.Data.Span);
            TransactionValidator.Validate(tx, Topics.ChainId); // chain id, signature, intrinsic gas
            return Accept(m, tx);
        }
        catch (TransactionException e)
        {
            return Reject(m, e.Message);
        }
    }

    // Every transaction of a batch must pass (an honest node only batches what its pool admitted); senders are recovered
    // on all cores first, and stay cached on the objects the subscriber gets.
    private ValidationResult ValidateTransactionBatch(GossipMessage m)
    {
        Transaction[] txs;
        try
        {
            txs = TransactionBatchCodec.Decode(m.Data.Span);
        }
        catch (TransactionException e)
        {
            return Reject(m, e.Message);
        }

        SenderRecovery.RecoverAll(txs);
        for (int i = 0; i < txs.Length; i++)
        {
            try
            {
                TransactionValidator.Validate(txs[i], Topics.ChainId);
            }
            catch (TransactionException e)
            {
                return Reject(m, $"transaction {i} of {txs.Length} in the batch: {e.Message}");
            }
        }

        return Accept(m, txs);
    }

    private ValidationResult ValidateBlock(GossipMessage m)
    {
        CommitMessage commit;
        Block block;
        try
        {
            if (ConsensusCodec.Decode(m.Data.Span) is not CommitMessage c)
            {
                return Reject(m, "not a commit message");
            }

            commit = c;
            block = BlockCodec.Decode(commit.Block);
        }
        catch (Exception e) when (e is ConsensusDecodeException or RlpException or TransactionException)
        {
            return Reject(m, e.Message);
        }

        if (CheckCommit(commit, block, Topics.ChainId, _schedule, _verifier) is { } error)
        {
            return Reject(m, error);
        }

        long seen;
        while ((ulong)(seen = Interlocked.Read(ref _highestBlockSeen)) < commit.Height
            && Interlocked.CompareExchange(ref _highestBlockSeen, (long)commit.Height, seen) != seen)
        {
        }

        return Accept(m, commit);
    }

    /// <summary>Why <paramref name="commit"/> (carrying <paramref name="block"/>) does not prove a decision on this chain, or null if it does.</summary>
    public static string? CheckCommit(CommitMessage commit, Block block, ulong chainId, ValidatorSchedule schedule, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(commit);
        try
        {
            CertifiedBlockImporter.CheckCertifies(commit.Certificate, block, chainId, schedule, verifier);
            return null;
        }
        catch (CertifiedBlockException e)
        {
            return e.Message;
        }
    }

    private ValidationResult Reject(GossipMessage m, string reason)
    {
        Interlocked.Increment(ref _rejected);
        _log($"gossip: rejected a message on {m.Topic} from {m.ReceivedFrom}: {reason}");
        return ValidationResult.Reject;
    }
}
