using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Consensus.Tests;

public class SigningTests
{
    private static readonly Secp256k1SignatureVerifier Verifier = Secp256k1SignatureVerifier.Instance;

    [Test]
    public void VoteSignatureRecoversToItsValidator()
    {
        Vote v = Vote.Create(TestKeys.ChainId, 7, 2, VoteType.Precommit, TestKeys.BlockHash(1), TestKeys.Signer(0));
        Assert.That(v.VerifySignature(Verifier), Is.True);
        Assert.That(EcRecover.TryRecoverAddress(v.SigningDigest, EcdsaSignature.FromCompact(v.Signature), out Address a), Is.True);
        Assert.That(a, Is.EqualTo(TestKeys.Key(0).Address));
    }

    [Test]
    public void EveryFieldIsSigned()
    {
        Vote v = Vote.Create(TestKeys.ChainId, 7, 2, VoteType.Precommit, TestKeys.BlockHash(1), TestKeys.Signer(0));
        Vote[] altered =
        [
            new(TestKeys.ChainId + 1, 7, 2, VoteType.Precommit, TestKeys.BlockHash(1), v.Validator, v.Signature),
            new(TestKeys.ChainId, 8, 2, VoteType.Precommit, TestKeys.BlockHash(1), v.Validator, v.Signature),
            new(TestKeys.ChainId, 7, 3, VoteType.Precommit, TestKeys.BlockHash(1), v.Validator, v.Signature),
            new(TestKeys.ChainId, 7, 2, VoteType.Prevote, TestKeys.BlockHash(1), v.Validator, v.Signature),
            new(TestKeys.ChainId, 7, 2, VoteType.Precommit, TestKeys.BlockHash(2), v.Validator, v.Signature),
            new(TestKeys.ChainId, 7, 2, VoteType.Precommit, null, v.Validator, v.Signature),
            new(TestKeys.ChainId, 7, 2, VoteType.Precommit, TestKeys.BlockHash(1), TestKeys.Key(1).Address, v.Signature),
        ];
        foreach (Vote a in altered)
        {
            Assert.That(a.VerifySignature(Verifier), Is.False, a.ToString());
        }
    }

    [Test]
    public void DigestsAreDomainSeparated()
    {
        Hash256 b = TestKeys.BlockHash(1);
        Hash256 prevote = ConsensusDigest.ForVote(1, 1, 0, VoteType.Prevote, b);
        Hash256 precommit = ConsensusDigest.ForVote(1, 1, 0, VoteType.Precommit, b);
        Hash256 proposal = ConsensusDigest.ForProposal(1, 1, 0, -1, b);
        Hash256 otherChain = ConsensusDigest.ForVote(2, 1, 0, VoteType.Prevote, b);
        Hash256 nil = ConsensusDigest.ForVote(1, 1, 0, VoteType.Prevote, null);
        Assert.That(new[] { prevote, precommit, proposal, otherChain, nil }, Is.Unique);
    }

    [Test]
    public void HighSAndBadRecoveryIdAreRejected()
    {
        Vote v = Vote.Create(TestKeys.ChainId, 1, 0, VoteType.Prevote, TestKeys.BlockHash(1), TestKeys.Signer(0));
        EcdsaSignature sig = EcdsaSignature.FromCompact(v.Signature);

        // (r, n − s, v ^ 1) is the same signature in its high-s form: valid ECDSA, but a second encoding of one vote.
        UInt256 n = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        byte[] high = new EcdsaSignature(sig.R, n - sig.S, (byte)(sig.RecoveryId ^ 1)).ToCompact();
        Assert.That(Verifier.Verify(v.SigningDigest, high, v.Validator), Is.False);

        byte[] badV = v.Signature.ToArray();
        badV[64] = 27;
        Assert.That(Verifier.Verify(v.SigningDigest, badV, v.Validator), Is.False);
        Assert.That(Verifier.Verify(v.SigningDigest, new byte[65], v.Validator), Is.False);
        Assert.That(Verifier.Verify(v.SigningDigest, new byte[64], v.Validator), Is.False);
    }

    [Test]
    public void ProposalSignatureCoversPolRoundAndHash()
    {
        Proposal p = Proposal.Create(TestKeys.ChainId, 3, 2, 1, TestKeys.BlockHash(1), [1, 2, 3], TestKeys.Signer(0));
        Assert.That(p.VerifySignature(Verifier), Is.True);
        Proposal otherPol = new(TestKeys.ChainId, 3, 2, 0, TestKeys.BlockHash(1), [1, 2, 3], p.Proposer, p.Signature);
        Proposal otherHash = new(TestKeys.ChainId, 3, 2, 1, TestKeys.BlockHash(2), [1, 2, 3], p.Proposer, p.Signature);
        Assert.That(otherPol.VerifySignature(Verifier), Is.False);
        Assert.That(otherHash.VerifySignature(Verifier), Is.False);
    }
}
