using System.Buffers.Binary;
using Cere.Consensus.Evidence;
using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Simulation;

/// <summary>
/// A deterministic discrete-event simulation of a validator network in one process: every validator runs the real
/// <see cref="TendermintMachine"/> with the real secp256k1 signatures and an in-memory WAL; a seeded scheduler delays, drops,
/// duplicates and reorders messages, partitions the network and heals it, crashes and restarts validators; byzantine
/// validators equivocate, double-vote, stay silent or lose their WAL. It checks safety and liveness as it runs.
/// </summary>
public sealed class Simulation
{
    private const int BlockSize = 22;
    private const long HardTimeLimitMs = 30 * 60 * 1000;

    private readonly SimulationConfig _config;
    private readonly SimRandom _net;
    private readonly SimRandom _blocks;
    private readonly SimRandom _epochs;
    private readonly PriorityQueue<SimEvent, (long Time, long Seq)> _queue = new();
    private readonly SimNode[] _nodes;
    private readonly List<ValidatorSet> _sets = [];
    private readonly CachingVerifier _verifier = new(Secp256k1SignatureVerifier.Instance);
    private readonly Dictionary<ulong, Hash256> _decided = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<(int Node, ulong Height, int Round, VoteType Type), Hash256?> _signedVotes = [];
    private readonly Dictionary<(int Node, ulong Height, int Round), Hash256> _signedProposals = [];
    private readonly SortedSet<int> _doubleSigners = [];
    private readonly SortedSet<int> _evidenceAgainst = [];
    private readonly Dictionary<(ulong Height, int Round), List<Hash256>> _proposalHashes = [];
    private readonly Dictionary<Address, int> _indexByAddress = [];

    private long _now;
    private long _seq;
    private int[]? _partitionSide;
    private long _lastDisruption;
    private ulong _trace = 14695981039346656037UL;
    private long _delivered;
    private int _maxRound;
    private bool _conflictingDecisions;

    private Simulation(SimulationConfig config)
    {
        _config = config;
        SimRandom root = new(config.Seed);
        _net = root.Fork(1);
        _blocks = root.Fork(2);
        _epochs = root.Fork(3);
        SimRandom faults = root.Fork(4);
        SimRandom keys = root.Fork(5);

        int n = config.Behaviours.Length;
        _nodes = new SimNode[n];
        for (int i = 0; i < n; i++)
        {
            _nodes[i] = new SimNode(i, config.Behaviours[i], MakeKey(keys));
            _indexByAddress[_nodes[i].Address] = i;
        }

        long[] stakes = config.Stakes ?? DrawStakes(root.Fork(6), config.Behaviours);
        CheckFaultBudget(stakes);
        Validator[] validators = new Validator[n];
        for (int i = 0; i < n; i++)
        {
            validators[i] = new Validator(_nodes[i].Address, stakes[i]);
        }

        _sets.Add(ValidatorSet.Create(validators));
        PlanFaults(faults);
    }

    /// <summary>Runs one simulation to the end and returns what it found.</summary>
    public static SimulationResult Run(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Simulation(config).Execute();
    }

    private long Deadline => Math.Min(_lastDisruption + _config.LivenessBudgetMs, HardTimeLimitMs);

    private SimulationResult Execute()
    {
        while (_queue.TryDequeue(out SimEvent? ev, out (long Time, long Seq) key))
        {
            if (key.Time > Deadline)
            {
                break;
            }

            _now = key.Time;
            Fold((ulong)key.Time, (ulong)ev.Kind, (ulong)ev.Node);
            Process(ev);
            if (AllCorrectDone())
            {
                break;
            }
        }

        if (_config.Log is { } log)
        {
            foreach (SimNode node in _nodes)
            {
                log($"end: node {node.Index} {node.Behaviour} alive={node.Alive} chain={node.Chain.Count} {node.Driver?.Machine.Describe()}");
            }
        }

        int heights = int.MaxValue;
        foreach (SimNode node in _nodes)
        {
            if (node.IsCorrect)
            {
                heights = Math.Min(heights, node.Chain.Count);
            }
        }

        if (heights == int.MaxValue)
        {
            heights = 0;
        }

        return new SimulationResult
        {
            Seed = _config.Seed,
            SafetyViolations = _violations,
            ConflictingDecisions = _conflictingDecisions,
            LivenessFailed = !AllCorrectDone(),
            HeightsDecided = heights,
            MaxDecisionRound = _maxRound,
            MessagesDelivered = _delivered,
            EvidenceAgainst = [.. _evidenceAgainst],
            DoubleSigners = [.. _doubleSigners],
            EndTimeMs = _now,
            TraceHash = _trace,
        };
    }

    private bool AllCorrectDone()
    {
        foreach (SimNode node in _nodes)
        {
            if (node.IsCorrect && node.Chain.Count < _config.Heights)
            {
                return false;
            }
        }

        return true;
    }

    // ---- setup ----

    private static PrivateKey MakeKey(SimRandom rng)
    {
        Span<byte> k = stackalloc byte[32];
        while (true)
        {
            for (int i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(k[(i * 8)..], rng.NextUInt64());
            }

            try
            {
                return new PrivateKey(k);
            }
            catch (ArgumentException)
            {
                // out of range (probability ~2^-128): draw again
            }
        }
    }

    private static long[] DrawStakes(SimRandom rng, Behaviour[] behaviours)
    {
        long[] drawn = new long[behaviours.Length];
        for (int i = 0; i < drawn.Length; i++)
        {
            drawn[i] = rng.Range(1, 10);
        }

        // The smallest stakes go to the faulty validators, so k faulty of n (k ≤ (n − 1) / 3) hold less than 1/3.
        Array.Sort(drawn);
        long[] stakes = new long[behaviours.Length];
        int next = 0;
        for (int i = 0; i < behaviours.Length; i++)
        {
            if (behaviours[i].IsFaulty())
            {
                stakes[i] = drawn[next++];
            }
        }

        for (int i = 0; i < behaviours.Length; i++)
        {
            if (!behaviours[i].IsFaulty())
            {
                stakes[i] = drawn[next++];
            }
        }

        return stakes;
    }

    private void CheckFaultBudget(long[] stakes)
    {
        long total = 0, faulty = 0;
        for (int i = 0; i < stakes.Length; i++)
        {
            total += stakes[i];
            if (_config.Behaviours[i].IsFaulty())
            {
                faulty += stakes[i];
            }
        }

        bool ok = _config.AllowOneThirdFaulty ? faulty * 3 <= total : faulty * 3 < total;
        if (!ok)
        {
            throw new ArgumentException($"faulty stake {faulty} of {total} is not below 1/3: safety is not promised for this configuration");
        }
    }

    private void PlanFaults(SimRandom rng)
    {
        foreach (SimNode node in _nodes)
        {
            if (node.Behaviour != Behaviour.Silent)
            {
                node.Alive = true;
                StartDriver(node);
                Enqueue(0, new SimEvent(EventKind.StartHeight, node.Index) { Incarnation = node.Incarnation });
            }

            if (node.Behaviour is Behaviour.CrashRestart or Behaviour.Amnesiac)
            {
                long at = rng.Range(100, 3000);

                // The amnesiac dies right after a signature and is back within a round, so that it re-enters the
                // height it was voting in and can contradict itself; crash-restart downtimes are longer.
                node.Downtime = node.Behaviour == Behaviour.Amnesiac ? rng.Range(5, 60) : rng.Range(50, 1500);
                bool torn = node.Behaviour == Behaviour.CrashRestart && rng.Chance(0.5);
                node.CrashPending = true;
                Enqueue(at, new SimEvent(EventKind.Crash, node.Index) { Torn = torn });
                _lastDisruption = Math.Max(_lastDisruption, at + node.Downtime + 2000);
            }
        }

        if (_config.Partitions)
        {
            long t = 0;
            int windows = 1 + rng.Next(2);
            for (int w = 0; w < windows; w++)
            {
                long start = t + rng.Range(0, 2000);
                long end = start + rng.Range(300, 3000);
                int[] sides = new int[_nodes.Length];
                sides[0] = 0;
                sides[1] = 1;
                for (int i = 2; i < sides.Length; i++)
                {
                    sides[i] = rng.Next(2);
                }

                // shuffle which nodes are 0 and 1 so node 0 is not always on side 0
                for (int i = sides.Length - 1; i > 0; i--)
                {
                    int j = rng.Next(i + 1);
                    (sides[i], sides[j]) = (sides[j], sides[i]);
                }

                Enqueue(start, new SimEvent(EventKind.PartitionStart, -1) { Sides = sides });
                Enqueue(end, new SimEvent(EventKind.PartitionHeal, -1));
                t = end;
                _lastDisruption = Math.Max(_lastDisruption, end);
            }
        }
    }

    private void StartDriver(SimNode node)
    {
        TendermintMachine machine = new(_config.ChainId, node.Signer, _verifier, _config.Timeouts, null, _config.Variant);
        node.Driver = new ConsensusDriver(machine, new ConsensusWal(node.Storage), new NodeOutbox(this, node));
    }

    private ValidatorSet SetFor(ulong height)
    {
        while ((ulong)_sets.Count < height)
        {
            ValidatorSet prev = _sets[^1];
            ulong next = (ulong)_sets.Count + 1;
            if ((next - 1) % (ulong)_config.EpochLength == 0)
            {
                // Epoch boundary: one correct validator's stake grows (faulty stake never does, so the budget still holds).
                Validator[] powers = new Validator[prev.Count];
                for (int i = 0; i < prev.Count; i++)
                {
                    powers[i] = prev[i];
                }

                int pick = _epochs.Next(powers.Length);
                for (int k = 0; k < powers.Length; k++)
                {
                    int i = (pick + k) % powers.Length;
                    if (_nodes[_indexByAddress[powers[i].Address]].IsCorrect)
                    {
                        powers[i] = powers[i] with { Power = powers[i].Power + _epochs.Range(1, 3) };
                        break;
                    }
                }

                _sets.Add(prev.WithPowers(powers));
            }
            else
            {
                _sets.Add(prev.NextHeight());
            }
        }

        return _sets[(int)height - 1];
    }

    // ---- events ----

    private enum EventKind
    {
        Deliver,
        Timeout,
        BlockBuilt,
        BlockValidated,
        StartHeight,
        Crash,
        Restart,
        PartitionStart,
        PartitionHeal,
    }

    private sealed class SimEvent(EventKind kind, int node)
    {
        public EventKind Kind { get; } = kind;

        public int Node { get; } = node;

        public int From { get; init; }

        public int Incarnation { get; init; }

        public byte[]? Bytes { get; init; }

        public TimeoutEvent Timeout { get; init; }

        public ulong Height { get; init; }

        public int Round { get; init; }

        public Hash256 Hash { get; init; }

        public bool Valid { get; init; }

        public bool Torn { get; init; }

        public bool Relayed { get; init; }

        public bool Now { get; init; }

        public int[]? Sides { get; init; }
    }

    private void Enqueue(long time, SimEvent ev) => _queue.Enqueue(ev, (time, _seq++));

    private void Process(SimEvent ev)
    {
        switch (ev.Kind)
        {
            case EventKind.PartitionStart:
                _partitionSide = ev.Sides;
                return;
            case EventKind.PartitionHeal:
                _partitionSide = null;
                return;
        }

        SimNode node = _nodes[ev.Node];
        switch (ev.Kind)
        {
            case EventKind.Crash:
                OnCrashEvent(node, ev);
                return;
            case EventKind.Restart:
                Restart(node);
                return;
        }

        if (!node.Alive || node.Driver is null)
        {
            return;
        }

        if (ev.Kind != EventKind.Deliver && ev.Incarnation != node.Incarnation)
        {
            return; // a timer or answer from before a crash
        }

        try
        {
            switch (ev.Kind)
            {
                case EventKind.Deliver:
                    Deliver(node, ev);
                    break;
                case EventKind.Timeout:
                    node.Driver.OnTimeout(ev.Timeout);
                    break;
                case EventKind.BlockBuilt:
                    node.Driver.OnBlockBuilt(ev.Height, ev.Round, ev.Hash, ev.Bytes!);
                    break;
                case EventKind.BlockValidated:
                    node.Driver.OnBlockValidated(ev.Height, ev.Hash, ev.Valid);
                    break;
                case EventKind.StartHeight:
                    ulong h = (ulong)node.Chain.Count + 1;
                    if (h <= (ulong)_config.Heights && node.Driver.Machine.Height < h)
                    {
                        node.Driver.StartHeight(h, SetFor(h));
                        if (node.Driver.ReplayedMessages > 0)
                        {
                            _config.Log?.Invoke($"{_now} node {node.Index} starts height {h} with {node.Driver.ReplayedMessages} messages from its WAL");
                        }
                    }

                    break;
            }
        }
        catch (IOException)
        {
            // The WAL "disk" failed mid-append: the process dies here; what it emitted before stays emitted.
            CrashNow(node);
        }
    }

    private void Deliver(SimNode node, SimEvent ev)
    {
        _delivered++;
        byte[] bytes = ev.Bytes!;
        Fold(bytes);
        ConsensusMessage message = ConsensusCodec.Decode(bytes);
        RejectReason r = node.Driver!.OnMessage(message);
        if (r == RejectReason.None && message is Vote && !ev.Relayed)
        {
            // Gossip: forward the vote once to a few peers (not again from there).
            for (int j = 0; j < _nodes.Length; j++)
            {
                if (j != node.Index && j != ev.From && _net.Chance(_config.Relay))
                {
                    Send(node, j, bytes, relayed: true);
                }
            }
        }

        if (message is CommitMessage)
        {
            _config.Log?.Invoke($"{_now} node {node.Index} got commit h={message.Height} from {ev.From}: {r}");
        }
        if (r is RejectReason.PastHeight or RejectReason.AlreadyDecided && message is not CommitMessage)
        {
            // The sender is behind (or still in a height we decided): answer with the commit of its height, at most every 300 ms per (peer, height).
            ulong h = message.Height;
            if (h >= 1 && h <= (ulong)node.Chain.Count
                && (!node.LastSyncSent.TryGetValue((ev.From, h), out long last) || _now - last >= 300))
            {
                node.LastSyncSent[(ev.From, h)] = _now;
                (Hash256 _, byte[] block, CommitCertificate cert) = node.Chain[(int)h - 1];
                Send(node, ev.From, ConsensusCodec.Encode(new CommitMessage(cert, block)));
            }
        }
    }

    private void OnCrashEvent(SimNode node, SimEvent ev)
    {
        if (!node.Alive || !node.CrashPending)
        {
            return;
        }

        if (node.Behaviour == Behaviour.Amnesiac && !node.CrashAfterNextSignature && !ev.Now)
        {
            node.CrashAfterNextSignature = true;
            return;
        }

        if (ev.Torn)
        {
            // Crash inside the next WAL append (a torn record); if no append comes within 1.5 s, crash cleanly then.
            node.Storage.CrashAtAppend = node.Storage.Appends;
            node.Storage.TornBytes = (int)_net.Range(1, 24);
            Enqueue(_now + 1500, new SimEvent(EventKind.Crash, node.Index));
            return;
        }

        CrashNow(node);
    }

    private void CrashNow(SimNode node)
    {
        _config.Log?.Invoke($"{_now} node {node.Index} crashes (WAL {node.Storage.Length} bytes)");
        node.Alive = false;
        node.CrashPending = false;
        node.Incarnation++;
        node.Driver = null;
        node.Storage.CrashAtAppend = null;
        Enqueue(_now + node.Downtime, new SimEvent(EventKind.Restart, node.Index));
        _lastDisruption = Math.Max(_lastDisruption, _now + node.Downtime);
    }

    private void Restart(SimNode node)
    {
        if (node.Behaviour == Behaviour.Amnesiac)
        {
            node.Storage.Wipe();
        }

        node.Alive = true;
        StartDriver(node);
        _config.Log?.Invoke($"{_now} node {node.Index} restarts (WAL {node.Storage.Length} bytes, chain {node.Chain.Count})");
        Enqueue(_now, new SimEvent(EventKind.StartHeight, node.Index) { Incarnation = node.Incarnation });
    }

    // ---- effects of one node ----

    private sealed class NodeOutbox(Simulation sim, SimNode node) : IConsensusOutbox
    {
        public void Emit(ConsensusEffect effect) => sim.OnEffect(node, effect);
    }

    private void OnEffect(SimNode node, ConsensusEffect effect)
    {
        switch (effect)
        {
            case SignedMessageEffect s:
                SendOwn(node, s.Message);
                if (node.CrashAfterNextSignature)
                {
                    node.CrashAfterNextSignature = false;
                    Enqueue(_now, new SimEvent(EventKind.Crash, node.Index) { Now = true });
                }

                break;
            case BroadcastEffect b:
                SendOwn(node, b.Message);
                break;
            case ScheduleTimeoutEffect t:
                Enqueue(_now + t.DelayMs, new SimEvent(EventKind.Timeout, node.Index) { Timeout = t.Timeout, Incarnation = node.Incarnation });
                break;
            case BuildBlockEffect bb:
                byte[] block = MakeBlock(bb.Height, bb.Round, node.Index, _blocks.NextUInt64());
                Enqueue(_now, new SimEvent(EventKind.BlockBuilt, node.Index)
                {
                    Height = bb.Height, Round = bb.Round, Bytes = block, Hash = Keccak256.Compute(block), Incarnation = node.Incarnation,
                });
                break;
            case ValidateBlockEffect vb:
                Enqueue(_now + 1, new SimEvent(EventKind.BlockValidated, node.Index)
                {
                    Height = vb.Height, Hash = vb.BlockHash, Valid = IsValidBlock(vb.Height, vb.BlockHash, vb.Block), Incarnation = node.Incarnation,
                });
                break;
            case DecideEffect d:
                OnDecide(node, d);
                break;
            case EvidenceEffect e:
                OnEvidence(e.Evidence);
                break;
        }
    }

    private void OnDecide(SimNode node, DecideEffect d)
    {
        if (d.Height != (ulong)node.Chain.Count + 1)
        {
            _violations.Add($"node {node.Index} decided height {d.Height} while its chain is at {node.Chain.Count}");
            return;
        }

        node.Chain.Add((d.BlockHash, d.Block, d.Certificate));
        _config.Log?.Invoke($"{_now} node {node.Index} decides {d.Height} round {d.Round}");
        _maxRound = Math.Max(_maxRound, d.Round);
        if (node.IsCorrect)
        {
            if (_decided.TryGetValue(d.Height, out Hash256 first))
            {
                if (first != d.BlockHash)
                {
                    _conflictingDecisions = true;
                    _violations.Add($"height {d.Height}: node {node.Index} decided {d.BlockHash} but another correct node decided {first}");
                }
            }
            else
            {
                _decided.Add(d.Height, d.BlockHash);
            }

            if (!IsValidBlock(d.Height, d.BlockHash, d.Block))
            {
                _violations.Add($"height {d.Height}: node {node.Index} decided an invalid block");
            }

            CertificateError ce = d.Certificate.Verify(_config.ChainId, d.Height, SetFor(d.Height), _verifier);
            if (ce != CertificateError.None)
            {
                _violations.Add($"height {d.Height}: node {node.Index} decided with a certificate that does not verify ({ce})");
            }
        }

        Enqueue(_now, new SimEvent(EventKind.StartHeight, node.Index) { Incarnation = node.Incarnation });
    }

    private void OnEvidence(DuplicateVoteEvidence e)
    {
        if (_indexByAddress.TryGetValue(e.Validator, out int index) && e.Verify(_config.ChainId, SetFor(e.Height), _verifier))
        {
            _evidenceAgainst.Add(index);
        }
    }

    private void SendOwn(SimNode node, ConsensusMessage m)
    {
        switch (m)
        {
            case Proposal p when p.Proposer == node.Address:
                TapProposal(node, p);
                if (node.Behaviour is Behaviour.EquivocatingProposer or Behaviour.DoubleVoter)
                {
                    Proposal twin = TwinProposal(node, p);
                    TapProposal(node, twin);
                    SendSplit(node, p, twin);
                    return;
                }

                break;
            case Vote v when v.Validator == node.Address:
                TapVote(node, v);
                if (node.Behaviour == Behaviour.DoubleVoter)
                {
                    Vote twin = TwinVote(node, v);
                    TapVote(node, twin);
                    SendSplit(node, v, twin);
                    return;
                }

                break;
        }

        Broadcast(node, ConsensusCodec.Encode(m));
    }

    private void TapVote(SimNode node, Vote v)
    {
        _config.Log?.Invoke($"{_now} node {node.Index}#{node.Incarnation} sends {v}");
        (int, ulong, int, VoteType) slot = (node.Index, v.Height, v.Round, v.Type);
        if (_signedVotes.TryGetValue(slot, out Hash256? earlier))
        {
            if (earlier != v.BlockHash && _doubleSigners.Add(node.Index) && node.IsCorrect)
            {
                _violations.Add($"correct node {node.Index} signed two different {v.Type}s at height {v.Height} round {v.Round}");
            }
        }
        else
        {
            _signedVotes.Add(slot, v.BlockHash);
        }
    }

    private void TapProposal(SimNode node, Proposal p)
    {
        _config.Log?.Invoke($"{_now} node {node.Index}#{node.Incarnation} sends {p}");
        (ulong, int) key = (p.Height, p.Round);
        if (!_proposalHashes.TryGetValue(key, out List<Hash256>? hashes))
        {
            hashes = [];
            _proposalHashes.Add(key, hashes);
        }

        if (!hashes.Contains(p.BlockHash))
        {
            hashes.Add(p.BlockHash);
        }

        (int, ulong, int) slot = (node.Index, p.Height, p.Round);
        if (_signedProposals.TryGetValue(slot, out Hash256 earlier))
        {
            if (earlier != p.BlockHash && node.IsCorrect)
            {
                _violations.Add($"correct node {node.Index} proposed two different blocks at height {p.Height} round {p.Round}");
            }
        }
        else
        {
            _signedProposals.Add(slot, p.BlockHash);
        }
    }

    private static Proposal TwinProposal(SimNode node, Proposal p)
    {
        byte[] block = p.Block.ToArray();
        if (block.Length == BlockSize)
        {
            block[^1] ^= 0x5A;
            if ((block[^2] & 3) == 0)
            {
                block[0] = 1; // sometimes the twin is an invalid block
            }
        }
        else
        {
            block = [.. block, 0x5A];
        }

        return Proposal.Create(p.ChainId, p.Height, p.Round, -1, Keccak256.Compute(block), block, node.Signer);
    }

    private Vote TwinVote(SimNode node, Vote v)
    {
        // Collude: vote for another block proposed in this round (an equivocating proposer's twin), else flip nil / block.
        Hash256? other = null;
        if (_proposalHashes.TryGetValue((v.Height, v.Round), out List<Hash256>? hashes))
        {
            foreach (Hash256 h in hashes)
            {
                if (h != v.BlockHash)
                {
                    other = h;
                    break;
                }
            }
        }

        if (other is null && v.BlockHash is null)
        {
            Span<byte> junk = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(junk, v.Height);
            BinaryPrimitives.WriteUInt64BigEndian(junk[8..], (ulong)v.Round);
            other = Keccak256.Compute(junk);
        }

        return Vote.Create(v.ChainId, v.Height, v.Round, v.Type, other, node.Signer);
    }

    // ---- network ----

    // The adversary splits the correct validators anew for every message slot (height, round, step), so it can, e.g.,
    // show its prevote to some validators and its precommit to others: the pattern that attacks locking.
    private int SideOf(int node, ConsensusMessage m)
    {
        (ulong round, ulong step) = m switch
        {
            Vote v => ((ulong)v.Round, (ulong)v.Type),
            Proposal p => ((ulong)p.Round, 0UL),
            _ => (0UL, 0UL),
        };
        return (int)((Mix(_config.Seed ^ Mix(m.Height ^ Mix(round ^ Mix(step))) ^ (ulong)node) >> 7) & 1);
    }

    private void SendSplit(SimNode from, ConsensusMessage a, ConsensusMessage b)
    {
        byte[] ea = ConsensusCodec.Encode(a);
        byte[] eb = ConsensusCodec.Encode(b);
        for (int j = 0; j < _nodes.Length; j++)
        {
            if (j == from.Index)
            {
                continue;
            }

            if (!_nodes[j].IsCorrect)
            {
                Send(from, j, ea);
                Send(from, j, eb);
            }
            else
            {
                Send(from, j, SideOf(j, a) == 0 ? ea : eb);
            }
        }
    }

    private void Broadcast(SimNode from, byte[] bytes)
    {
        for (int j = 0; j < _nodes.Length; j++)
        {
            if (j != from.Index)
            {
                Send(from, j, bytes);
            }
        }
    }

    private void Send(SimNode from, int to, byte[] bytes, bool relayed = false)
    {
        if (!from.Alive || _net.Chance(_config.Drop))
        {
            return;
        }

        if (_partitionSide is { } sides && sides[from.Index] != sides[to])
        {
            return;
        }

        Enqueue(_now + _net.Range(_config.MinDelayMs, _config.MaxDelayMs), new SimEvent(EventKind.Deliver, to) { From = from.Index, Bytes = bytes, Relayed = relayed });
        if (_net.Chance(_config.Duplicate))
        {
            Enqueue(_now + _net.Range(_config.MinDelayMs, _config.MaxDelayMs), new SimEvent(EventKind.Deliver, to) { From = from.Index, Bytes = bytes, Relayed = relayed });
        }
    }

    // ---- blocks ----

    private static byte[] MakeBlock(ulong height, int round, int proposer, ulong nonce)
    {
        byte[] b = new byte[BlockSize];
        b[0] = 0; // validity flag: 0 valid, anything else invalid
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(1), height);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(9), round);
        b[13] = (byte)proposer;
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(14), nonce);
        return b;
    }

    private static bool IsValidBlock(ulong height, Hash256 hash, byte[] block) =>
        block.Length == BlockSize && block[0] == 0 && BinaryPrimitives.ReadUInt64BigEndian(block.AsSpan(1)) == height && Keccak256.Compute(block) == hash;

    // ---- trace ----

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private void Fold(ulong a, ulong b, ulong c) => _trace = Mix(_trace ^ a ^ Mix(b ^ Mix(c)));

    private void Fold(byte[] bytes)
    {
        ulong h = 1469598103934665603UL;
        foreach (byte x in bytes)
        {
            h = (h ^ x) * 1099511628211UL;
        }

        _trace = Mix(_trace ^ h);
    }
}
