using Cere.Consensus.Evidence;
using Cere.Consensus.Messages;
using Cere.Core.Rlp;

namespace Cere.Consensus.Tests;

public class CodecTests
{
    private static Vote SampleVote(byte block = 1) =>
        Vote.Create(TestKeys.ChainId, 9, 3, VoteType.Prevote, TestKeys.BlockHash(block), TestKeys.Signer(0));

    [Test]
    public void VoteRoundTrips()
    {
        Vote v = SampleVote();
        Vote back = (Vote)ConsensusCodec.Decode(ConsensusCodec.Encode(v));
        Assert.Multiple(() =>
        {
            Assert.That(back.Height, Is.EqualTo(9));
            Assert.That(back.Round, Is.EqualTo(3));
            Assert.That(back.Type, Is.EqualTo(VoteType.Prevote));
            Assert.That(back.BlockHash, Is.EqualTo(v.BlockHash));
            Assert.That(back.Validator, Is.EqualTo(v.Validator));
            Assert.That(back.Signature.ToArray(), Is.EqualTo(v.Signature.ToArray()));
            Assert.That(back.VerifySignature(Signing.Secp256k1SignatureVerifier.Instance), Is.True);
        });
    }

    [Test]
    public void NilVoteRoundTrips()
    {
        Vote v = Vote.Create(TestKeys.ChainId, 1, 0, VoteType.Precommit, null, TestKeys.Signer(1));
        Vote back = ConsensusCodec.DecodeVote(ConsensusCodec.EncodeVote(v));
        Assert.That(back.BlockHash, Is.Null);
    }

    [Test]
    public void ProposalRoundTrips()
    {
        Proposal p = Proposal.Create(TestKeys.ChainId, 5, 4, 2, TestKeys.BlockHash(3), new byte[300], TestKeys.Signer(2));
        Proposal back = (Proposal)ConsensusCodec.Decode(ConsensusCodec.Encode(p));
        Assert.That((back.Height, back.Round, back.PolRound, back.BlockHash, back.Block.Length), Is.EqualTo((5UL, 4, 2, p.BlockHash, 300)));
    }

    [Test]
    public void CertificateAndEvidenceRoundTrip()
    {
        var set = TestKeys.Set(1, 1, 1, 1);
        CommitCertificate c = CertificateTests.Sign(set, 2, 1, TestKeys.BlockHash(7), 0, 1, 3);
        CommitCertificate back = ConsensusCodec.DecodeCertificate(ConsensusCodec.EncodeCertificate(c));
        Assert.That(back.Verify(TestKeys.ChainId, 2, set, Signing.Secp256k1SignatureVerifier.Instance), Is.EqualTo(CertificateError.None));

        DuplicateVoteEvidence e = new(SampleVote(1), SampleVote(2));
        DuplicateVoteEvidence eBack = ConsensusCodec.DecodeEvidence(ConsensusCodec.EncodeEvidence(e));
        Assert.That(eBack.Verify(TestKeys.ChainId, TestKeys.Set(1, 1, 1), Signing.Secp256k1SignatureVerifier.Instance), Is.True);

        CommitMessage m = new(c, [1, 2, 3]);
        CommitMessage mBack = (CommitMessage)ConsensusCodec.Decode(ConsensusCodec.Encode(m));
        Assert.That(mBack.Block.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    private static IEnumerable<TestCaseData> MalformedMessages()
    {
        byte[] vote = ConsensusCodec.EncodeVote(SampleVote());
        byte[] sig = new byte[65];
        byte[] hash = TestKeys.BlockHash(1).ToArray();
        byte[] addr = TestKeys.Key(0).Address.ToArray();
        byte[] U(ulong x) => Rlp.EncodeUInt64(x);
        byte[] B(byte[] x) => Rlp.EncodeBytes(x);
        byte[] VoteBody(ulong round, ulong type, byte[] h, byte[] s) => Rlp.EncodeList(U(1), U(1), U(round), U(type), B(h), B(addr), B(s));
        byte[] Msg(ulong kind, byte[] body) => Rlp.EncodeList(U(kind), body);

        yield return new TestCaseData(Array.Empty<byte>(), ConsensusDecodeError.MalformedRlp).SetName("Empty");
        yield return new TestCaseData(Msg(2, vote)[..^3], ConsensusDecodeError.MalformedRlp).SetName("Truncated");
        yield return new TestCaseData((byte[])[.. Msg(2, vote), 0x00], ConsensusDecodeError.MalformedRlp).SetName("TrailingByte");
        yield return new TestCaseData(Msg(9, vote), ConsensusDecodeError.UnknownMessageKind).SetName("UnknownKind");
        yield return new TestCaseData(Msg(2, VoteBody(0, 3, hash, sig)), ConsensusDecodeError.UnknownVoteType).SetName("VoteTypeThree");
        yield return new TestCaseData(Msg(2, VoteBody(0, 0, hash, sig)), ConsensusDecodeError.UnknownVoteType).SetName("VoteTypeZero");
        yield return new TestCaseData(Msg(2, VoteBody(0, 1, hash[..31], sig)), ConsensusDecodeError.BadBlockHash).SetName("ShortBlockHash");
        yield return new TestCaseData(Msg(2, VoteBody(0, 1, hash, sig[..64])), ConsensusDecodeError.BadSignatureLength).SetName("ShortSignature");
        yield return new TestCaseData(Msg(2, VoteBody((ulong)ConsensusCodec.MaxRound + 1, 1, hash, sig)), ConsensusDecodeError.RoundOutOfRange).SetName("HugeRound");
        yield return new TestCaseData(Msg(1, Rlp.EncodeList(U(1), U(1), U(2), U(3), B(hash), B([1]), B(addr), B(sig))), ConsensusDecodeError.PolRoundOutOfRange).SetName("PolRoundNotBelowRound");
        yield return new TestCaseData(Msg(2, Rlp.EncodeList(U(1), U(1), U(0), U(1), B(hash), B(addr))), ConsensusDecodeError.MalformedRlp).SetName("MissingSignature");
        yield return new TestCaseData(Msg(2, Rlp.EncodeList(U(1), U(1), U(0), U(1), B(hash), B(addr[..19]), B(sig))), ConsensusDecodeError.MalformedRlp).SetName("ShortAddress");
        yield return new TestCaseData(Msg(3, Rlp.EncodeList(Rlp.EncodeList(U(1), U(1), U(0), B(hash), Rlp.EncodeList(Rlp.EncodeList(U(20000), B(sig)))), B([]))), ConsensusDecodeError.ValidatorIndexOutOfRange).SetName("CertificateIndexTooLarge");
        yield return new TestCaseData(new byte[] { 0xc2, 0x02, 0xff }, ConsensusDecodeError.MalformedRlp).SetName("ListHeaderClaimsMore");
    }

    [TestCaseSource(nameof(MalformedMessages))]
    public void MalformedInputIsRejectedWithItsReason(byte[] input, ConsensusDecodeError expected)
    {
        ConsensusDecodeException e = Assert.Throws<ConsensusDecodeException>(() => ConsensusCodec.Decode(input))!;
        Assert.That(e.Error, Is.EqualTo(expected), e.Message);
    }

    [Test]
    public void EvidenceOfNonConflictingVotesIsRejected()
    {
        Vote a = SampleVote(1);
        byte[] same = Rlp.EncodeList(ConsensusCodec.EncodeVote(a), ConsensusCodec.EncodeVote(a));
        ConsensusDecodeException e = Assert.Throws<ConsensusDecodeException>(() => ConsensusCodec.DecodeEvidence(same))!;
        Assert.That(e.Error, Is.EqualTo(ConsensusDecodeError.NotConflicting));
        Assert.That(() => new DuplicateVoteEvidence(a, a), Throws.ArgumentException);
    }

    [Test]
    public void OversizedMessageIsRejectedBeforeParsing()
    {
        ConsensusDecodeException e = Assert.Throws<ConsensusDecodeException>(() => ConsensusCodec.Decode(new byte[ConsensusCodec.MaxMessageSize + 1]))!;
        Assert.That(e.Error, Is.EqualTo(ConsensusDecodeError.MessageTooLarge));
    }
}
