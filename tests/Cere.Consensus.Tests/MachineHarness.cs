using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Consensus.Wal;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Tests;

/// <summary>One real machine (validator <see cref="Self"/> of four equal ones) driven by hand, with the other validators' keys to sign its inputs.</summary>
internal sealed class MachineHarness : IConsensusOutbox
{
    public MachineHarness(MemoryWalStorage? storage = null, MachineLimits? limits = null)
    {
        Set = TestKeys.Set(1, 1, 1, 1);

        // Pick a validator that proposes neither round 0 nor round 1, so the test plays every proposer.
        Self = Enumerable.Range(0, 4).First(i => i != Set.ProposerIndexForRound(0) && i != Set.ProposerIndexForRound(1));
        Storage = storage ?? new MemoryWalStorage();
        Machine = new TendermintMachine(TestKeys.ChainId, TestKeys.SignerAt(Set, Self), Secp256k1SignatureVerifier.Instance, new TimeoutSchedule(), limits);
        Driver = new ConsensusDriver(Machine, new ConsensusWal(Storage), this);
    }

    public ValidatorSet Set { get; }

    public int Self { get; }

    public MemoryWalStorage Storage { get; }

    public TendermintMachine Machine { get; }

    public ConsensusDriver Driver { get; }

    public List<ConsensusEffect> Effects { get; } = [];

    public static byte[] Block(byte tag) => [tag, 1, 2, 3];

    public static Hash256 HashOf(byte[] block) => Keccak256.Compute(block);

    public void Emit(ConsensusEffect effect) => Effects.Add(effect);

    public IConsensusSigner Signer(int index) => TestKeys.SignerAt(Set, index);

    public int Other(int k) => Enumerable.Range(0, 4).Where(i => i != Self).ElementAt(k);

    public Proposal ProposalBy(int round, byte tag, int polRound = -1, ulong height = 1) =>
        Proposal.Create(TestKeys.ChainId, height, round, polRound, HashOf(Block(tag)), Block(tag), Signer(Set.ProposerIndexForRound(round)));

    public Vote VoteBy(int index, int round, VoteType type, byte? tag, ulong height = 1) =>
        Vote.Create(TestKeys.ChainId, height, round, type, tag is { } t ? HashOf(Block(t)) : null, Signer(index));

    /// <summary>Answers every pending block validation with "valid".</summary>
    public void ValidateAll()
    {
        foreach (ValidateBlockEffect v in Effects.OfType<ValidateBlockEffect>().ToList())
        {
            Driver.OnBlockValidated(v.Height, v.BlockHash, HashOf(v.Block) == v.BlockHash);
        }
    }

    /// <summary>Own votes emitted (signed now or re-sent), in order.</summary>
    public List<Vote> OwnVotes() =>
        [.. Effects.Select(e => e switch { SignedMessageEffect s => s.Message, BroadcastEffect b => b.Message, _ => null })
            .OfType<Vote>().Where(v => v.Validator == Set[Self].Address)];

    public (int, ConsensusStep, int, int, int, int) Snapshot() =>
        (Machine.Round, Machine.Step, Machine.LockedRound, Machine.ValidRound, Machine.RoundsHeld, Machine.NextHeightMessagesHeld);
}
