using Cere.Consensus.Evidence;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;

namespace Cere.Consensus.Tests;

public class CertificateTests
{
    private static readonly Secp256k1SignatureVerifier Verifier = Secp256k1SignatureVerifier.Instance;

    internal static CommitCertificate Sign(ValidatorSet set, ulong height, int round, Hash256 block, params int[] signers)
    {
        List<CommitSignature> sigs = [];
        foreach (int i in signers)
        {
            Vote v = Vote.Create(TestKeys.ChainId, height, round, VoteType.Precommit, block, TestKeys.SignerAt(set, i));
            sigs.Add(new CommitSignature(i, v.Signature));
        }

        return new CommitCertificate(TestKeys.ChainId, height, round, block, sigs);
    }

    [Test]
    public void QuorumOfStakeVerifies()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1, 1);
        Assert.That(Sign(set, 4, 0, TestKeys.BlockHash(1), 0, 1, 2).Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.None));
    }

    [Test]
    public void StakeNotHeadsDecides()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1, 10);
        int big = 0;
        while (set[big].Power != 10)
        {
            big++;
        }

        int[] small = [.. Enumerable.Range(0, 4).Where(i => i != big)];
        Assert.That(Sign(set, 1, 0, TestKeys.BlockHash(1), small).Verify(TestKeys.ChainId, 1, set, Verifier), Is.EqualTo(CertificateError.InsufficientPower), "3 of 4 heads but 3 of 13 stake");
        Assert.That(Sign(set, 1, 0, TestKeys.BlockHash(1), [.. new[] { small[0], big }.Order()]).Verify(TestKeys.ChainId, 1, set, Verifier), Is.EqualTo(CertificateError.None), "2 heads, 11 of 13 stake");
    }

    [Test]
    public void ExactlyTwoThirdsIsNotEnough()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1);
        Assert.That(Sign(set, 1, 0, TestKeys.BlockHash(1), 0, 1).Verify(TestKeys.ChainId, 1, set, Verifier), Is.EqualTo(CertificateError.InsufficientPower));
    }

    [Test]
    public void BadCertificatesSayWhy()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1, 1);
        Hash256 b = TestKeys.BlockHash(1);
        CommitCertificate good = Sign(set, 4, 0, b, 0, 1, 2);
        CommitSignature[] sigs = good.Signatures.ToArray();
        CommitCertificate duplicate = new(TestKeys.ChainId, 4, 0, b, [sigs[0], sigs[0], sigs[1], sigs[2]]);
        CommitCertificate unordered = new(TestKeys.ChainId, 4, 0, b, [sigs[1], sigs[0], sigs[2]]);
        CommitCertificate unknown = new(TestKeys.ChainId, 4, 0, b, [sigs[0], sigs[1], new CommitSignature(7, sigs[2].Signature)]);
        CommitCertificate swapped = new(TestKeys.ChainId, 4, 0, b, [new CommitSignature(0, sigs[1].Signature), new CommitSignature(1, sigs[0].Signature), sigs[2]]);
        CommitCertificate otherBlock = new(TestKeys.ChainId, 4, 0, TestKeys.BlockHash(2), sigs);
        CommitCertificate otherRound = new(TestKeys.ChainId, 4, 1, b, sigs);
        Assert.Multiple(() =>
        {
            Assert.That(good.Verify(TestKeys.ChainId + 1, 4, set, Verifier), Is.EqualTo(CertificateError.WrongChain));
            Assert.That(good.Verify(TestKeys.ChainId, 5, set, Verifier), Is.EqualTo(CertificateError.WrongHeight));
            Assert.That(duplicate.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.DuplicateOrUnorderedSigner));
            Assert.That(unordered.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.DuplicateOrUnorderedSigner));
            Assert.That(unknown.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.UnknownSigner));
            Assert.That(swapped.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.BadSignature));
            Assert.That(otherBlock.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.BadSignature));
            Assert.That(otherRound.Verify(TestKeys.ChainId, 4, set, Verifier), Is.EqualTo(CertificateError.BadSignature));
        });
    }

    [Test]
    public void EvidenceVerifiesOnItsOwnAndRejectsForgeries()
    {
        ValidatorSet set = TestKeys.Set(1, 1, 1, 1);
        Vote a = Vote.Create(TestKeys.ChainId, 3, 1, VoteType.Prevote, TestKeys.BlockHash(1), TestKeys.Signer(0));
        Vote b = Vote.Create(TestKeys.ChainId, 3, 1, VoteType.Prevote, null, TestKeys.Signer(0));
        DuplicateVoteEvidence e = new(a, b);
        Assert.That(e.Verify(TestKeys.ChainId, set, Verifier), Is.True);
        Assert.That(new DuplicateVoteEvidence(b, a).VoteA.SigningDigest, Is.EqualTo(e.VoteA.SigningDigest), "canonical order");

        Vote forged = new(TestKeys.ChainId, 3, 1, VoteType.Prevote, TestKeys.BlockHash(2), a.Validator, a.Signature);
        Assert.That(new DuplicateVoteEvidence(a, forged).Verify(TestKeys.ChainId, set, Verifier), Is.False, "a vote the validator never signed is no evidence");
        Assert.That(e.Verify(TestKeys.ChainId, TestKeys.Set(1, 1).WithPowers([new Validator(TestKeys.Key(5).Address, 1)]), Verifier), Is.False, "not a validator of that set");

        Vote otherRound = Vote.Create(TestKeys.ChainId, 3, 2, VoteType.Prevote, null, TestKeys.Signer(0));
        Assert.That(() => new DuplicateVoteEvidence(a, otherRound), Throws.ArgumentException, "different rounds do not conflict");
    }
}
