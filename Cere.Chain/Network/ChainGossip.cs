using Cere.Chain.Consensus;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
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
public sealed class ChainGossip : IDisposable
{
    private readonly GossipsubService _gossip;
    private readonly ISignatureVerifier _verifier;
    private readonly ValidatorSchedule _schedule;
    private readonly Action<string> _log;
    private readonly List<IDisposable> _subscriptions = [];
    private long _rejected;

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
    }

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
        _gossip.SetValidator(Topics.Blocks, ValidateBlock);
        _subscriptions.Add(_gossip.Subscribe(Topics.Consensus, m => onConsensus(ConsensusCodec.Decode(m.Data.Span))));
        _subscriptions.Add(_gossip.Subscribe(Topics.Transactions, m => onTransaction(TransactionDecoder.Decode(m.Data.Span))));
        _subscriptions.Add(_gossip.Subscribe(Topics.Blocks, m => onBlock((CommitMessage)ConsensusCodec.Decode(m.Data.Span))));
    }

    /// <summary>Publishes a proposal or vote.</summary>
    public void PublishConsensus(ConsensusMessage message) => Publish(Topics.Consensus, ConsensusCodec.Encode(message));

    /// <summary>Publishes a transaction (raw envelope).</summary>
    public void PublishTransaction(Transaction tx) => Publish(Topics.Transactions, TransactionEncoder.Encode(tx));

    /// <summary>Publishes a decided block with its certificate.</summary>
    public void PublishBlock(CommitMessage commit) => Publish(Topics.Blocks, ConsensusCodec.Encode(commit));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IDisposable s in _subscriptions)
        {
            s.Dispose();
        }

        _subscriptions.Clear();
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

                return v.VerifySignature(_verifier) ? ValidationResult.Accept : Reject(m, $"bad signature on {v}");
            case Proposal p:
                if (_schedule.Members.IndexOf(p.Proposer) < 0)
                {
                    return Reject(m, $"proposal from {p.Proposer}, not a validator");
                }

                return p.VerifySignature(_verifier) ? ValidationResult.Accept : Reject(m, $"bad signature on {p}");
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
            return ValidationResult.Accept;
        }
        catch (TransactionException e)
        {
            return Reject(m, e.Message);
        }
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

        return CheckCommit(commit, block, Topics.ChainId, _schedule, _verifier) is { } error ? Reject(m, error) : ValidationResult.Accept;
    }

    /// <summary>Why <paramref name="commit"/> (carrying <paramref name="block"/>) does not prove a decision on this chain, or null if it does.</summary>
    public static string? CheckCommit(CommitMessage commit, Block block, ulong chainId, ValidatorSchedule schedule, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(schedule);
        CommitCertificate cert = commit.Certificate;
        if (cert.ChainId != chainId)
        {
            return $"chain id {cert.ChainId}, this chain is {chainId}";
        }

        if (block.Hash != cert.BlockHash || block.Number != cert.Height)
        {
            return $"the certificate is for block {cert.Height} {cert.BlockHash}, the bytes are block {block.Number} {block.Hash}";
        }

        CertificateError error = cert.Verify(chainId, cert.Height, schedule.Members, verifier);
        return error == CertificateError.None ? null : $"certificate of height {cert.Height}: {error}";
    }

    private ValidationResult Reject(GossipMessage m, string reason)
    {
        Interlocked.Increment(ref _rejected);
        _log($"gossip: rejected a message on {m.Topic} from {m.ReceivedFrom}: {reason}");
        return ValidationResult.Reject;
    }
}
