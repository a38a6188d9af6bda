namespace Cere.Consensus.Machine;

/// <summary>Where a <see cref="ConsensusDriver"/> hands the machine's effects once the WAL holds what must be durable: the host's network, timers and block pipeline.</summary>
public interface IConsensusOutbox
{
    /// <summary>Carries out one effect (send, set a timer, build/validate a block, persist a decision, gossip evidence).</summary>
    void Emit(ConsensusEffect effect);
}
