using Cere.Consensus.Evidence;
using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Machine;

/// <summary>Something the machine asks its host to do; the machine itself does no I/O.</summary>
public abstract record ConsensusEffect;

/// <summary>A message this validator just signed: the host must append it to the WAL durably, then broadcast it.</summary>
public sealed record SignedMessageEffect(ConsensusMessage Message) : ConsensusEffect;

/// <summary>A message signed earlier (already in the WAL) to send again.</summary>
public sealed record BroadcastEffect(ConsensusMessage Message) : ConsensusEffect;

/// <summary>Set a timer; when it fires, pass <see cref="Timeout"/> back.</summary>
public sealed record ScheduleTimeoutEffect(TimeoutEvent Timeout, long DelayMs) : ConsensusEffect;

/// <summary>This validator proposes: build a block for the height and answer with <see cref="TendermintMachine.OnBlockBuilt"/>.</summary>
public sealed record BuildBlockEffect(ulong Height, int Round) : ConsensusEffect;

/// <summary>Check that <see cref="Block"/> hashes to <see cref="BlockHash"/> and is a valid block for the height; answer with <see cref="TendermintMachine.OnBlockValidated"/>.</summary>
public sealed record ValidateBlockEffect(ulong Height, Hash256 BlockHash, byte[] Block) : ConsensusEffect;

/// <summary>The height is decided: persist the block with its certificate, then start the next height.</summary>
public sealed record DecideEffect(ulong Height, int Round, Hash256 BlockHash, byte[] Block, CommitCertificate Certificate) : ConsensusEffect;

/// <summary>A validator double-signed: the evidence to gossip and submit.</summary>
public sealed record EvidenceEffect(DuplicateVoteEvidence Evidence) : ConsensusEffect;
