using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Chain.Consensus;

/// <summary>One item for the consensus loop: everything that touches the round state goes through one queue, in order.</summary>
internal abstract record ConsensusInput;

/// <summary>A message from the network (or from block sync).</summary>
internal sealed record PeerMessageInput(ConsensusMessage Message) : ConsensusInput;

/// <summary>A timer set by the machine fired.</summary>
internal sealed record TimeoutInput(TimeoutEvent Timeout) : ConsensusInput;

/// <summary>Our block for a proposal is ready.</summary>
internal sealed record BlockBuiltInput(ulong Height, int Round, Hash256 BlockHash, byte[] Block) : ConsensusInput;

/// <summary>A proposed block was re-executed.</summary>
internal sealed record BlockValidatedInput(ulong Height, Hash256 BlockHash, bool Valid) : ConsensusInput;

/// <summary>Time to start the height after the head.</summary>
internal sealed record StartHeightInput(ulong Height) : ConsensusInput;
