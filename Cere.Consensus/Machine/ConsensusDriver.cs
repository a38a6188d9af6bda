using Cere.Consensus.Messages;
using Cere.Consensus.Validators;
using Cere.Consensus.Wal;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>
/// Runs a <see cref="TendermintMachine"/> with its WAL: each signed message is appended and flushed before it is emitted,
/// each decision is preceded by an end-of-height marker, and a restart replays the WAL into the machine so it never signs
/// a vote that conflicts with one it signed before the crash. An observer machine (no signer) runs without a WAL: it signs
/// nothing, so there is nothing to make durable or to replay.
/// </summary>
/// <remarks>
/// Contract with the host: persist a decided block (with its certificate) before calling <see cref="StartHeight"/> for the
/// next height, since starting a height clears the WAL of the previous one. Call from one thread (or one queue).
/// </remarks>
public sealed class ConsensusDriver
{
    private readonly ConsensusWal? _wal;
    private readonly IConsensusOutbox _outbox;
    private readonly List<ConsensusEffect> _effects = [];

    /// <summary>
    /// A driver over <paramref name="machine"/>, logging to <paramref name="wal"/>, emitting into <paramref name="outbox"/>.
    /// <paramref name="wal"/> may be null only for an observer machine (<see cref="TendermintMachine.IsObserver"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A machine that signs has no WAL (a crash could make it sign twice).</exception>
    public ConsensusDriver(TendermintMachine machine, ConsensusWal? wal, IConsensusOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(outbox);
        if (wal is null && !machine.IsObserver)
        {
            throw new ArgumentException("a machine that signs needs a WAL: without one a restart could sign a conflicting vote", nameof(wal));
        }

        Machine = machine;
        _wal = wal;
        _outbox = outbox;
    }

    /// <summary>The machine.</summary>
    public TendermintMachine Machine { get; }

    /// <summary>The messages replayed from the WAL at the last <see cref="StartHeight"/> (for the tests and logs).</summary>
    public int ReplayedMessages { get; private set; }

    /// <summary>Starts a height, restoring own messages of that height from the WAL (after a restart) or clearing it.</summary>
    public void StartHeight(ulong height, ValidatorSet validators)
    {
        List<ConsensusMessage> own = [];
        if (_wal is not null)
        {
            foreach (ConsensusMessage m in _wal.Replay().Messages)
            {
                if (m.Height == height)
                {
                    own.Add(m);
                }
            }

            if (own.Count == 0)
            {
                _wal.Reset();
            }
        }

        ReplayedMessages = own.Count;
        Machine.StartHeight(height, validators, own, _effects);
        Dispatch();
    }

    /// <summary>A peer message.</summary>
    public RejectReason OnMessage(ConsensusMessage message)
    {
        RejectReason r = Machine.OnMessage(message, _effects);
        Dispatch();
        return r;
    }

    /// <summary>A timer fired.</summary>
    public RejectReason OnTimeout(TimeoutEvent timeout)
    {
        RejectReason r = Machine.OnTimeout(timeout, _effects);
        Dispatch();
        return r;
    }

    /// <summary>The host validated a block.</summary>
    public RejectReason OnBlockValidated(ulong height, Hash256 blockHash, bool valid)
    {
        RejectReason r = Machine.OnBlockValidated(height, blockHash, valid, _effects);
        Dispatch();
        return r;
    }

    /// <summary>The host built a block to propose.</summary>
    public RejectReason OnBlockBuilt(ulong height, int round, Hash256 blockHash, byte[] block)
    {
        RejectReason r = Machine.OnBlockBuilt(height, round, blockHash, block, _effects);
        Dispatch();
        return r;
    }

    private void Dispatch()
    {
        // Effects are taken out first: an outbox may call back into the driver (a host answering at once).
        ConsensusEffect[] batch = [.. _effects];
        _effects.Clear();
        foreach (ConsensusEffect e in batch)
        {
            switch (e)
            {
                case SignedMessageEffect s:
                    _wal!.AppendMessage(s.Message); // durable before it can leave: a crash after this line replays it (an observer signs nothing)
                    break;
                case DecideEffect d:
                    _wal?.AppendEndHeight(d.Height);
                    break;
            }

            _outbox.Emit(e);
        }
    }
}
