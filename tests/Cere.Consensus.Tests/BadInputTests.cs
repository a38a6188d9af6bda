using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Core;

namespace Cere.Consensus.Tests;

/// <summary>Malformed, unsigned, wrongly signed, wrong-height and duplicate input is rejected with its reason and changes nothing.</summary>
public class BadInputTests
{
    private static MachineHarness Started()
    {
        MachineHarness h = new();
        h.Driver.StartHeight(1, h.Set);
        h.Driver.OnMessage(h.ProposalBy(0, 7));
        h.ValidateAll();
        h.Effects.Clear();
        return h;
    }

    private static void AssertRejectedWithoutEffect(MachineHarness h, ConsensusMessage m, RejectReason expected)
    {
        var before = h.Snapshot();
        long walBefore = h.Storage.Length;
        Assert.That(h.Driver.OnMessage(m), Is.EqualTo(expected));
        Assert.That(h.Snapshot(), Is.EqualTo(before), "state changed");
        Assert.That(h.Effects, Is.Empty, "effects emitted");
        Assert.That(h.Storage.Length, Is.EqualTo(walBefore), "WAL written");
    }

    [Test]
    public void UnsignedVote()
    {
        MachineHarness h = Started();
        Vote v = h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7);
        AssertRejectedWithoutEffect(h, new Vote(v.ChainId, v.Height, v.Round, v.Type, v.BlockHash, v.Validator, new byte[65]), RejectReason.BadSignature);
    }

    [Test]
    public void VoteSignedByAnotherKey()
    {
        MachineHarness h = Started();
        Vote byOther = h.VoteBy(h.Other(1), 0, VoteType.Prevote, 7);
        AssertRejectedWithoutEffect(h, new Vote(byOther.ChainId, 1, 0, VoteType.Prevote, byOther.BlockHash, h.Set[h.Other(0)].Address, byOther.Signature), RejectReason.BadSignature);
    }

    [Test]
    public void TamperedVote()
    {
        MachineHarness h = Started();
        Vote v = h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7);
        AssertRejectedWithoutEffect(h, new Vote(v.ChainId, v.Height, v.Round, v.Type, MachineHarness.HashOf(MachineHarness.Block(8)), v.Validator, v.Signature), RejectReason.BadSignature);
    }

    [Test]
    public void WrongChain()
    {
        MachineHarness h = Started();
        Vote v = Vote.Create(TestKeys.ChainId + 1, 1, 0, VoteType.Prevote, null, h.Signer(h.Other(0)));
        AssertRejectedWithoutEffect(h, v, RejectReason.WrongChain);
    }

    [Test]
    public void WrongHeights()
    {
        MachineHarness h = Started();
        AssertRejectedWithoutEffect(h, h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7, height: 0), RejectReason.PastHeight);
        AssertRejectedWithoutEffect(h, h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7, height: 3), RejectReason.FutureHeight);
    }

    [Test]
    public void NotAValidator()
    {
        MachineHarness h = Started();
        AssertRejectedWithoutEffect(h, Vote.Create(TestKeys.ChainId, 1, 0, VoteType.Prevote, null, TestKeys.Signer(30)), RejectReason.NotAValidator);
    }

    [Test]
    public void DuplicateVote()
    {
        MachineHarness h = Started();
        Vote v = h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7);
        Assert.That(h.Driver.OnMessage(v), Is.EqualTo(RejectReason.None));
        h.Effects.Clear();
        AssertRejectedWithoutEffect(h, v, RejectReason.Duplicate);
    }

    [Test]
    public void ProposalFromTheWrongProposer()
    {
        MachineHarness h = Started();
        int notProposer = Enumerable.Range(0, 4).First(i => i != h.Set.ProposerIndexForRound(0) && i != h.Self);
        Proposal p = Proposal.Create(TestKeys.ChainId, 1, 0, -1, MachineHarness.HashOf(MachineHarness.Block(9)), MachineHarness.Block(9), h.Signer(notProposer));
        AssertRejectedWithoutEffect(h, p, RejectReason.NotTheProposer);
    }

    [Test]
    public void DuplicateAndWronglySignedProposal()
    {
        MachineHarness h = Started();
        AssertRejectedWithoutEffect(h, h.ProposalBy(0, 7), RejectReason.Duplicate);
        Proposal good = h.ProposalBy(0, 9);
        Proposal forged = new(good.ChainId, 1, 0, -1, good.BlockHash, good.Block, good.Proposer, new byte[65]);
        AssertRejectedWithoutEffect(h, forged, RejectReason.BadSignature);
    }

    [Test]
    public void CommitWithAForgedCertificate()
    {
        MachineHarness h = Started();
        Hash256 b = MachineHarness.HashOf(MachineHarness.Block(5));
        CommitCertificate real = CertificateTests.Sign(h.Set, 1, 0, b, 0, 1);
        AssertRejectedWithoutEffect(h, new CommitMessage(real, MachineHarness.Block(5)), RejectReason.InvalidCertificate);
    }

    [Test]
    public void StaleTimeoutsAndAnswers()
    {
        MachineHarness h = Started();
        var before = h.Snapshot();
        Assert.That(h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Precommit, 1, 5)), Is.EqualTo(RejectReason.Stale));
        Assert.That(h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Propose, 9, 0)), Is.EqualTo(RejectReason.Stale));
        Assert.That(h.Driver.OnBlockValidated(1, MachineHarness.HashOf(MachineHarness.Block(99)), true), Is.EqualTo(RejectReason.Stale), "never asked");
        Assert.That(h.Driver.OnBlockBuilt(1, 0, MachineHarness.HashOf(MachineHarness.Block(99)), MachineHarness.Block(99)), Is.EqualTo(RejectReason.Stale), "not our turn");
        Assert.That(h.Snapshot(), Is.EqualTo(before));
        Assert.That(h.Effects, Is.Empty);
    }

    [Test]
    public void FloodOfFutureRoundsStaysBounded()
    {
        MachineLimits limits = new();
        MachineHarness h = new(limits: limits);
        h.Driver.StartHeight(1, h.Set);
        int flooder = h.Other(0);
        int accepted = 0;
        for (int r = 1; r <= 400; r++)
        {
            foreach (VoteType t in new[] { VoteType.Prevote, VoteType.Precommit })
            {
                if (h.Driver.OnMessage(h.VoteBy(flooder, r, t, null)) == RejectReason.None)
                {
                    accepted++;
                }
            }
        }

        Assert.That(h.Machine.Round, Is.EqualTo(0), "one validator (1/4 of the stake) cannot move us to its rounds");
        Assert.That(accepted, Is.EqualTo(2 * limits.FutureRoundsPerValidator));
        Assert.That(h.Machine.RoundsHeld, Is.LessThanOrEqualTo(1 + limits.FutureRoundsPerValidator));
        h.Effects.Clear();
        AssertRejectedWithoutEffect(h, h.VoteBy(flooder, limits.MaxRoundsAhead + 1, VoteType.Prevote, null), RejectReason.RoundTooFarAhead);
    }

    [Test]
    public void FloodOfNextHeightMessagesStaysBounded()
    {
        MachineHarness h = Started();
        for (int i = 0; i < 100; i++)
        {
            h.Driver.OnMessage(h.VoteBy(h.Other(i % 3), i, VoteType.Prevote, (byte)i, height: 2));
        }

        Assert.That(h.Machine.NextHeightMessagesHeld, Is.EqualTo(new MachineLimits().NextHeightMessagesPerValidator * 4));
    }

    [Test]
    public void DoubleVoteYieldsVerifiableEvidence()
    {
        MachineHarness h = Started();
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, 7));
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, null));
        EvidenceEffect e = h.Effects.OfType<EvidenceEffect>().Single();
        Assert.That(e.Evidence.Validator, Is.EqualTo(h.Set[h.Other(0)].Address));
        Assert.That(e.Evidence.Verify(TestKeys.ChainId, h.Set, Signing.Secp256k1SignatureVerifier.Instance), Is.True);
        h.Effects.Clear();
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, null));
        Assert.That(h.Effects.OfType<EvidenceEffect>(), Is.Empty, "reported once");
    }
}
