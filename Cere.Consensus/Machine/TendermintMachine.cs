using Cere.Consensus.Evidence;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>
/// The Tendermint consensus algorithm (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus", 2018, Algorithm 1)
/// for one validator, as a pure state machine: inputs are peer messages, timer events and the host's answers; outputs are
/// effects appended to the caller's list (messages to persist and send, timers, block requests, decisions, evidence).
/// </summary>
/// <remarks>
/// No clock, socket, disk, thread or unseeded randomness: the same inputs give the same effects. Votes are counted by
/// stake; a quorum is strictly more than 2/3 of the total power. One instance owns the round state; the host feeds it
/// from one queue.
/// </remarks>
public sealed partial class TendermintMachine
{
    private readonly ulong _chainId;
    private readonly IConsensusSigner? _signer;
    private readonly ISignatureVerifier _verifier;
    private readonly TimeoutSchedule _timeouts;
    private readonly MachineLimits _limits;
    private readonly MachineVariant _variant;

    private readonly Dictionary<int, RoundState> _rounds = [];
    private readonly Dictionary<Hash256, byte[]> _blocks = [];
    private readonly Dictionary<Hash256, bool> _validity = [];
    private readonly HashSet<Hash256> _validationRequested = [];
    private readonly Dictionary<(int Round, VoteType Type), Vote> _ownVotes = [];
    private readonly Dictionary<int, Proposal> _ownProposals = [];
    private readonly List<(int Round, Hash256 Block)> _precommitQuorums = [];
    private readonly HashSet<(int Index, int Round, VoteType Type)> _evidenceReported = [];
    private readonly List<ConsensusMessage> _nextHeightBuffer = [];
    private readonly Dictionary<(int Round, Hash256 Block), CommitCertificate> _receivedCertificates = [];

    private ValidatorSet? _validators;
    private long[] _weights = [];
    private long _weightTotal;
    private List<int>[] _futureRounds = [];
    private int _selfIndex = -1;
    private int _buildRequestedRound = -1;

    /// <summary>A machine for <paramref name="chainId"/>; <paramref name="signer"/> is null for a node that follows without voting.</summary>
    public TendermintMachine(ulong chainId, IConsensusSigner? signer, ISignatureVerifier verifier, TimeoutSchedule? timeouts = null, MachineLimits? limits = null)
        : this(chainId, signer, verifier, timeouts, limits, MachineVariant.Correct)
    {
    }

    internal TendermintMachine(ulong chainId, IConsensusSigner? signer, ISignatureVerifier verifier, TimeoutSchedule? timeouts, MachineLimits? limits, MachineVariant variant)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _chainId = chainId;
        _signer = signer;
        _verifier = verifier;
        _timeouts = timeouts ?? new TimeoutSchedule();
        _limits = limits ?? new MachineLimits();
        _variant = variant;
    }

    /// <summary>The chain id.</summary>
    public ulong ChainId => _chainId;

    /// <summary>True for a machine without a signer: it follows the rounds and decides, but never proposes, votes or signs.</summary>
    public bool IsObserver => _signer is null;

    /// <summary>The current height (0 before the first <see cref="StartHeight"/>).</summary>
    public ulong Height { get; private set; }

    /// <summary>The current round.</summary>
    public int Round { get; private set; }

    /// <summary>The current step.</summary>
    public ConsensusStep Step { get; private set; }

    /// <summary>The value this validator is locked on (Algorithm 1's lockedValue), or null.</summary>
    public Hash256? LockedValue { get; private set; }

    /// <summary>The round of the lock, or -1.</summary>
    public int LockedRound { get; private set; } = -1;

    /// <summary>The most recent value seen with a polka (validValue), or null.</summary>
    public Hash256? ValidValue { get; private set; }

    /// <summary>The round of <see cref="ValidValue"/>, or -1.</summary>
    public int ValidRound { get; private set; } = -1;

    /// <summary>The validator set of the current height.</summary>
    public ValidatorSet? Validators => _validators;

    /// <summary>The number of rounds held in memory for the current height (for the flood tests).</summary>
    public int RoundsHeld => _rounds.Count;

    /// <summary>The number of messages held for the next height.</summary>
    public int NextHeightMessagesHeld => _nextHeightBuffer.Count;

    private bool Started => _validators is not null;

    /// <summary>
    /// Starts <paramref name="height"/> with its validator set. <paramref name="ownSignedMessages"/> are the messages this
    /// validator signed at this height before a restart (from the WAL): they are re-used, never contradicted.
    /// </summary>
    /// <exception cref="ArgumentException">The height is not above the current one.</exception>
    public void StartHeight(ulong height, ValidatorSet validators, IReadOnlyList<ConsensusMessage> ownSignedMessages, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(ownSignedMessages);
        ArgumentNullException.ThrowIfNull(effects);
        if (Started && height <= Height)
        {
            throw new ArgumentException($"height {height} does not follow the current height {Height}", nameof(height));
        }

        ResetHeight(height, validators);
        int startRound = RestoreOwnMessages(ownSignedMessages);

        effects.Add(new ScheduleTimeoutEffect(new TimeoutEvent(TimeoutKind.Rebroadcast, Height, 0), _timeouts.DurationMs(TimeoutKind.Rebroadcast, 0)));
        EnterNewRound(startRound, effects);
        Progress(startRound, effects);

        if (_nextHeightBuffer.Count > 0)
        {
            ConsensusMessage[] buffered = [.. _nextHeightBuffer];
            _nextHeightBuffer.Clear();
            foreach (ConsensusMessage m in buffered)
            {
                if (m.Height == height)
                {
                    OnMessage(m, effects);
                }
            }
        }
    }

    /// <summary>Takes a message from a peer (or the network); returns why it was ignored, or <see cref="RejectReason.None"/>.</summary>
    public RejectReason OnMessage(ConsensusMessage message, List<ConsensusEffect> effects) => message switch
    {
        Vote v => OnVote(v, effects),
        Proposal p => OnProposal(p, effects),
        CommitMessage c => OnCommit(c.Certificate, c.BlockArray, effects),
        _ => throw new ArgumentException($"unknown message type {message?.GetType().Name}", nameof(message)),
    };

    /// <summary>Takes a prevote or precommit.</summary>
    public RejectReason OnVote(Vote vote, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(vote);
        ArgumentNullException.ThrowIfNull(effects);
        RejectReason r = CheckEnvelope(vote);
        if (r != RejectReason.None)
        {
            return r;
        }

        ValidatorSet set = _validators!;
        int index = set.IndexOf(vote.Validator);
        if (index < 0)
        {
            return RejectReason.NotAValidator;
        }

        if (vote.Round > Round + _limits.MaxRoundsAhead)
        {
            return RejectReason.RoundTooFarAhead;
        }

        _rounds.TryGetValue(vote.Round, out RoundState? rs);
        VoteTally? tally = rs?.Tally(vote.Type);
        Vote? existing = tally?.Get(index);
        if (existing is not null && tally!.HasVoteFor(index, vote.BlockHash))
        {
            return RejectReason.Duplicate;
        }

        // A second value from one validator is kept (see VoteTally.AddConflicting) only for nil or a block we hold:
        // anything else cannot be part of a decision here, and keeping it would let a double signer grow our memory.
        bool keepConflict = existing is not null && (vote.BlockHash is not { } cv || _blocks.ContainsKey(cv));
        if (existing is not null && !keepConflict && _evidenceReported.Contains((index, vote.Round, vote.Type)))
        {
            return RejectReason.Duplicate;
        }

        if (!HasFutureRoundRoom(index, vote.Round))
        {
            return RejectReason.FutureRoundCapReached;
        }

        if (!vote.VerifySignature(_verifier))
        {
            return RejectReason.BadSignature;
        }

        if (existing is not null)
        {
            // Same slot, other value: a double sign. The pair is the evidence (reported once per slot).
            if (_evidenceReported.Add((index, vote.Round, vote.Type)))
            {
                effects.Add(new EvidenceEffect(new DuplicateVoteEvidence(existing, vote)));
            }

            if (keepConflict)
            {
                tally!.AddConflicting(vote, index, _weights[index]);
                NotePrecommitQuorum(rs!, vote);
                Progress(vote.Round, effects);
            }

            return RejectReason.None;
        }

        NoteFutureRound(index, vote.Round);
        AddVote(GetOrCreateRound(vote.Round), vote, index);
        Progress(vote.Round, effects);
        return RejectReason.None;
    }

    /// <summary>Takes a proposal.</summary>
    public RejectReason OnProposal(Proposal proposal, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(effects);
        RejectReason r = CheckEnvelope(proposal);
        if (r != RejectReason.None)
        {
            return r;
        }

        ValidatorSet set = _validators!;
        int index = set.IndexOf(proposal.Proposer);
        if (index < 0)
        {
            return RejectReason.NotAValidator;
        }

        if (proposal.Round > Round + _limits.MaxRoundsAhead)
        {
            return RejectReason.RoundTooFarAhead;
        }

        if (!HasFutureRoundRoom(index, proposal.Round))
        {
            return RejectReason.FutureRoundCapReached;
        }

        if (index != ProposerOf(proposal.Round))
        {
            return RejectReason.NotTheProposer;
        }

        _rounds.TryGetValue(proposal.Round, out RoundState? rs);
        if (rs is not null && (SameProposal(rs.First, proposal) || SameProposal(rs.Second, proposal)))
        {
            return RejectReason.Duplicate;
        }

        if (rs is not null && rs.Second is not null)
        {
            return RejectReason.ProposalCapReached;
        }

        if (!proposal.VerifySignature(_verifier))
        {
            return RejectReason.BadSignature;
        }

        NoteFutureRound(index, proposal.Round);
        AddProposal(GetOrCreateRound(proposal.Round), proposal);
        Progress(proposal.Round, effects);
        return RejectReason.None;
    }

    /// <summary>Takes a decided block with its certificate (from a peer that is ahead, or from block sync).</summary>
    public RejectReason OnCommit(CommitCertificate certificate, byte[] block, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(effects);
        if (!Started)
        {
            return RejectReason.NotStarted;
        }

        if (certificate.ChainId != _chainId)
        {
            return RejectReason.WrongChain;
        }

        if (certificate.Height < Height)
        {
            return RejectReason.PastHeight;
        }

        if (certificate.Height > Height)
        {
            return RejectReason.FutureHeight;
        }

        if (Step == ConsensusStep.Decided)
        {
            return RejectReason.AlreadyDecided;
        }

        ValidatorSet set = _validators!;
        if (certificate.Verify(_chainId, Height, set, _verifier) != CertificateError.None)
        {
            return RejectReason.InvalidCertificate;
        }

        // A verified certificate is the quorum of precommits (line 49) by itself: its signers may have sent us other,
        // conflicting precommits (a double signer), so its votes are not re-tallied; it is kept and decided on as it is.
        GetOrCreateRound(certificate.Round);
        _blocks.TryAdd(certificate.BlockHash, block);
        _receivedCertificates.TryAdd((certificate.Round, certificate.BlockHash), certificate);
        if (!_precommitQuorums.Contains((certificate.Round, certificate.BlockHash)))
        {
            _precommitQuorums.Add((certificate.Round, certificate.BlockHash));
        }

        Progress(certificate.Round, effects);
        return RejectReason.None;
    }

    /// <summary>A timer set by a <see cref="ScheduleTimeoutEffect"/> fired.</summary>
    public RejectReason OnTimeout(TimeoutEvent timeout, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (!Started || timeout.Height != Height || Step == ConsensusStep.Decided)
        {
            return RejectReason.Stale;
        }

        switch (timeout.Kind)
        {
            case TimeoutKind.Propose when timeout.Round == Round && Step == ConsensusStep.Propose:
                OnTimeoutPropose(effects);
                break;
            case TimeoutKind.Prevote when timeout.Round == Round && Step == ConsensusStep.Prevote:
                OnTimeoutPrevote(effects);
                break;
            case TimeoutKind.Precommit when timeout.Round == Round:
                OnTimeoutPrecommit(effects);
                break;
            case TimeoutKind.Rebroadcast:
                Rebroadcast(effects);
                effects.Add(new ScheduleTimeoutEffect(new TimeoutEvent(TimeoutKind.Rebroadcast, Height, 0), _timeouts.DurationMs(TimeoutKind.Rebroadcast, 0)));
                return RejectReason.None;
            default:
                return RejectReason.Stale;
        }

        Progress(Round, effects);
        return RejectReason.None;
    }

    /// <summary>The host's answer to a <see cref="ValidateBlockEffect"/>.</summary>
    public RejectReason OnBlockValidated(ulong height, Hash256 blockHash, bool valid, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (!Started || height != Height || !_validationRequested.Contains(blockHash) || _validity.ContainsKey(blockHash))
        {
            return RejectReason.Stale;
        }

        _validity[blockHash] = valid;
        Progress(Round, effects);
        return RejectReason.None;
    }

    /// <summary>The host's answer to a <see cref="BuildBlockEffect"/>: the block to propose and its hash.</summary>
    public RejectReason OnBlockBuilt(ulong height, int round, Hash256 blockHash, byte[] block, List<ConsensusEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(effects);
        if (!Started || height != Height || round != Round || round != _buildRequestedRound || Step != ConsensusStep.Propose || _ownProposals.ContainsKey(round))
        {
            return RejectReason.Stale;
        }

        _buildRequestedRound = -1;
        _blocks.TryAdd(blockHash, block);
        _validity.TryAdd(blockHash, true); // built by our own host from its state: valid by construction
        SignProposal(blockHash, block, -1, effects);
        Progress(Round, effects);
        return RejectReason.None;
    }

    /// <summary>A one-line summary of the current round's tallies, for simulation traces.</summary>
    internal string Describe()
    {
        if (!_rounds.TryGetValue(Round, out RoundState? rs))
        {
            return $"h={Height} r={Round} {Step} (no round state)";
        }

        return $"h={Height} r={Round} {Step} prevotes any={rs.Prevotes.AnyWeight} nil={rs.Prevotes.WeightFor(null)} precommits any={rs.Precommits.AnyWeight} "
            + $"of {_weightTotal}; timeouts set prevote={rs.PrevoteTimeoutSet} precommit={rs.PrecommitTimeoutSet}; locked r={LockedRound} valid r={ValidRound}; rounds held {_rounds.Count}";
    }

    private RejectReason CheckEnvelope(ConsensusMessage m)
    {
        if (!Started)
        {
            return RejectReason.NotStarted;
        }

        if (m.ChainId != _chainId)
        {
            return RejectReason.WrongChain;
        }

        if (m.Height < Height)
        {
            return RejectReason.PastHeight;
        }

        if (m.Height > Height)
        {
            // Peers that decided first move on; keep a bounded number of their next-height messages (verified when it starts).
            if (m.Height == Height + 1 && _nextHeightBuffer.Count < _limits.NextHeightMessagesPerValidator * _validators!.Count)
            {
                _nextHeightBuffer.Add(m);
                return RejectReason.BufferedForNextHeight;
            }

            return RejectReason.FutureHeight;
        }

        return Step == ConsensusStep.Decided ? RejectReason.AlreadyDecided : RejectReason.None;
    }

    private static bool SameProposal(Proposal? a, Proposal b) =>
        a is not null && a.BlockHash == b.BlockHash && a.PolRound == b.PolRound;

    private bool HasFutureRoundRoom(int index, int round)
    {
        if (round <= Round)
        {
            return true;
        }

        List<int> rounds = _futureRounds[index];
        return rounds.Contains(round) || rounds.Count < _limits.FutureRoundsPerValidator;
    }

    private void NoteFutureRound(int index, int round)
    {
        if (round > Round && !_futureRounds[index].Contains(round))
        {
            _futureRounds[index].Add(round);
        }
    }

    private int ProposerOf(int round) => GetOrCreateRoundInfoProposer(round);

    private int GetOrCreateRoundInfoProposer(int round) =>
        _rounds.TryGetValue(round, out RoundState? rs) ? rs.ProposerIndex : _validators!.ProposerIndexForRound(round);

    private RoundState GetOrCreateRound(int round)
    {
        if (!_rounds.TryGetValue(round, out RoundState? rs))
        {
            rs = new RoundState(_validators!.Count, _validators.ProposerIndexForRound(round));
            _rounds.Add(round, rs);
        }

        return rs;
    }

    private void AddVote(RoundState rs, Vote vote, int index)
    {
        if (!rs.Tally(vote.Type).Add(vote, index, _weights[index]))
        {
            return;
        }

        NotePrecommitQuorum(rs, vote);
    }

    private void NotePrecommitQuorum(RoundState rs, Vote vote)
    {
        if (vote.Type == VoteType.Precommit && vote.BlockHash is { } h && IsQuorum(rs.Precommits.WeightFor(h)) && !_precommitQuorums.Contains((vote.Round, h)))
        {
            _precommitQuorums.Add((vote.Round, h));
        }
    }

    private void AddProposal(RoundState rs, Proposal p)
    {
        if (rs.First is null)
        {
            rs.First = p;
        }
        else
        {
            rs.Second = p;
        }

        _blocks.TryAdd(p.BlockHash, p.BlockArray);
    }

    private bool IsQuorum(long weight) =>
        _variant.AcceptTwoThirdsInclusive ? weight * 3 >= _weightTotal * 2 : weight * 3 > _weightTotal * 2;

    private bool IsOneThirdPlus(long weight) => weight * 3 > _weightTotal;

    private void ResetHeight(ulong height, ValidatorSet validators)
    {
        Height = height;
        _validators = validators;
        Round = 0;
        Step = ConsensusStep.Propose;
        LockedValue = null;
        LockedRound = -1;
        ValidValue = null;
        ValidRound = -1;
        _rounds.Clear();
        _blocks.Clear();
        _validity.Clear();
        _validationRequested.Clear();
        _ownVotes.Clear();
        _ownProposals.Clear();
        _precommitQuorums.Clear();
        _receivedCertificates.Clear();
        _evidenceReported.Clear();
        _buildRequestedRound = -1;
        _selfIndex = _signer is null ? -1 : validators.IndexOf(_signer.Address);
        _weights = new long[validators.Count];
        _weightTotal = 0;
        _futureRounds = new List<int>[validators.Count];
        for (int i = 0; i < validators.Count; i++)
        {
            _weights[i] = _variant.CountByHead ? 1 : validators[i].Power;
            _weightTotal += _weights[i];
            _futureRounds[i] = [];
        }
    }

    private int RestoreOwnMessages(IReadOnlyList<ConsensusMessage> own)
    {
        int startRound = 0;
        foreach (ConsensusMessage m in own)
        {
            if (m.Height != Height || m.ChainId != _chainId)
            {
                continue;
            }

            if (m is Vote v && _signer is not null && v.Validator == _signer.Address)
            {
                _ownVotes.TryAdd((v.Round, v.Type), v);
                AddVote(GetOrCreateRound(v.Round), v, _selfIndex);
                startRound = Math.Max(startRound, v.Round);

                // The lock is the last non-nil precommit (Algorithm 1, lines 36-41 lock exactly when precommitting a value).
                if (v.Type == VoteType.Precommit && v.BlockHash is { } h && v.Round > LockedRound)
                {
                    LockedRound = v.Round;
                    LockedValue = h;
                    ValidRound = v.Round;
                    ValidValue = h;
                }
            }
            else if (m is Proposal p && _signer is not null && p.Proposer == _signer.Address)
            {
                _ownProposals.TryAdd(p.Round, p);
                RoundState rs = GetOrCreateRound(p.Round);
                if (rs.First is null)
                {
                    AddProposal(rs, p);
                }

                _validity.TryAdd(p.BlockHash, true);
                startRound = Math.Max(startRound, p.Round);
            }
        }

        return startRound;
    }
}
