using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Tests;

public class MachineTests
{
    [Test]
    public void DecidesWithAQuorumOfPrecommits()
    {
        MachineHarness h = new();
        h.Driver.StartHeight(1, h.Set);
        h.Driver.OnMessage(h.ProposalBy(0, 7));
        h.ValidateAll();
        Assert.That(h.OwnVotes().Last().BlockHash, Is.EqualTo(MachineHarness.HashOf(MachineHarness.Block(7))), "prevotes the valid proposal (line 22)");
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7));
        h.Driver.OnMessage(h.VoteBy(h.Other(1), 0, VoteType.Prevote, 7));
        Assert.That(h.Machine.LockedRound, Is.EqualTo(0), "locks on the polka (line 36)");
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Precommit, 7));
        Assert.That(h.Effects.OfType<DecideEffect>(), Is.Empty, "2 of 4 precommits are not a quorum");
        h.Driver.OnMessage(h.VoteBy(h.Other(1), 0, VoteType.Precommit, 7));
        DecideEffect d = h.Effects.OfType<DecideEffect>().Single();
        Assert.That(d.Certificate.Verify(TestKeys.ChainId, 1, h.Set, Signing.Secp256k1SignatureVerifier.Instance), Is.EqualTo(CertificateError.None));
        Assert.That(h.Machine.Step, Is.EqualTo(ConsensusStep.Decided));
    }

    [Test]
    public void LockedValidatorPrevotesNilForAnotherFreshProposal()
    {
        MachineHarness h = new();
        LockOnSevenThenMoveToRoundOne(h);
        h.Effects.Clear();
        h.Driver.OnMessage(h.ProposalBy(1, 8));
        h.ValidateAll();
        Assert.That(h.OwnVotes().Single().BlockHash, Is.Null, "line 22: locked on another value → prevote nil");
    }

    [Test]
    public void LockedValidatorPrevotesItsValueReproposedWithAPolka()
    {
        MachineHarness h = new();
        LockOnSevenThenMoveToRoundOne(h);
        h.Effects.Clear();
        h.Driver.OnMessage(h.ProposalBy(1, 7, polRound: 0));
        h.ValidateAll();
        Assert.That(h.OwnVotes().Single().BlockHash, Is.EqualTo(MachineHarness.HashOf(MachineHarness.Block(7))), "line 28");
    }

    [Test]
    public void TimeoutsGrowWithTheRound()
    {
        TimeoutSchedule t = new();
        Assert.That(t.DurationMs(TimeoutKind.Propose, 3), Is.GreaterThan(t.DurationMs(TimeoutKind.Propose, 0)));
        Assert.That(t.DurationMs(TimeoutKind.Prevote, 5), Is.EqualTo(t.PrevoteMs + (5 * t.PrevoteDeltaMs)));
    }

    internal static void LockOnSevenThenMoveToRoundOne(MachineHarness h)
    {
        h.Driver.StartHeight(1, h.Set);
        h.Driver.OnMessage(h.ProposalBy(0, 7));
        h.ValidateAll();
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7));
        h.Driver.OnMessage(h.VoteBy(h.Other(1), 0, VoteType.Prevote, 7));
        for (int k = 0; k < 3; k++)
        {
            h.Driver.OnMessage(h.VoteBy(h.Other(k), 0, VoteType.Precommit, null));
        }

        Assert.That(h.Machine.LockedRound, Is.EqualTo(0));
        h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Precommit, 1, 0));
        Assert.That(h.Machine.Round, Is.EqualTo(1));
    }
}
