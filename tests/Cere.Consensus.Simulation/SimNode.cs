using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Simulation;

/// <summary>One simulated validator: its key, its WAL "disk", its decided chain (which survives crashes) and its current incarnation.</summary>
internal sealed class SimNode
{
    public SimNode(int index, Behaviour behaviour, PrivateKey key)
    {
        Index = index;
        Behaviour = behaviour;
        Key = key;
        Signer = new Secp256k1ConsensusSigner(key);
    }

    public int Index { get; }

    public Behaviour Behaviour { get; }

    public PrivateKey Key { get; }

    public IConsensusSigner Signer { get; }

    public Address Address => Key.Address;

    public MemoryWalStorage Storage { get; } = new();

    public ConsensusDriver? Driver { get; set; }

    public bool Alive { get; set; }

    public int Incarnation { get; set; }

    /// <summary>Decided blocks by height − 1: the host's block store, durable across crashes.</summary>
    public List<(Hash256 Hash, byte[] Block, CommitCertificate Certificate)> Chain { get; } = [];

    /// <summary>When the last commit for (peer, height) was sent, to rate-limit catch-up answers.</summary>
    public Dictionary<(int Peer, ulong Height), long> LastSyncSent { get; } = [];

    /// <summary>How long the next crash keeps it down, ms.</summary>
    public long Downtime { get; set; }

    /// <summary>A crash is planned and not yet happened/restarted.</summary>
    public bool CrashPending { get; set; }

    /// <summary>Crash as soon as the next own message is signed and sent (the amnesiac's crash point).</summary>
    public bool CrashAfterNextSignature { get; set; }

    public bool IsCorrect => !Behaviour.IsFaulty();
}
