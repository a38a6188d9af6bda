using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Chain.Execution;
using Cere.Chain.Network;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Transactions;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// Certified blocks import with block, receipts, state and certificate in one write batch; every kind of bad block or
/// certificate is refused with its own exception and writes nothing.
/// </summary>
public class CertifiedBlockImporterTests
{
    private static readonly Lazy<CertifiedChainBuilder> Source = new(() => CertifiedChainBuilder.Build(3, 2));

    public static IEnumerable<TestCaseData> Forgeries()
    {
        yield return new TestCaseData("tampered transaction", typeof(InvalidCertifiedBlockException), null).SetName("TamperedTransactionIsRefused");
        yield return new TestCaseData("forged signature", typeof(CertificateRejectedException), CertificateError.BadSignature).SetName("ForgedSignatureIsRefused");
        yield return new TestCaseData("duplicated signature", typeof(CertificateRejectedException), CertificateError.DuplicateOrUnorderedSigner).SetName("DuplicatedSignatureIsRefused");
        yield return new TestCaseData("non-validator key", typeof(CertificateRejectedException), CertificateError.BadSignature).SetName("NonValidatorKeyIsRefused");
        yield return new TestCaseData("non-validator index", typeof(CertificateRejectedException), CertificateError.UnknownSigner).SetName("NonValidatorIndexIsRefused");
        yield return new TestCaseData("too few signatures", typeof(CertificateRejectedException), CertificateError.InsufficientPower).SetName("TooFewSignaturesAreRefused");
        yield return new TestCaseData("other round", typeof(CertificateRejectedException), CertificateError.BadSignature).SetName("SignaturesOfAnotherRoundAreRefused");
        yield return new TestCaseData("wrong chain", typeof(WrongChainException), null).SetName("CertificateOfAnotherChainIsRefused");
        yield return new TestCaseData("other block", typeof(BlockCertificateMismatchException), null).SetName("CertificateOfAnotherBlockIsRefused");
        yield return new TestCaseData("height gap", typeof(UnexpectedHeightException), null).SetName("BlockAfterAGapIsRefused");
    }

    [Test]
    public void CertifiedBlocksImportWithTheirCertificateInTheSameBatch()
    {
        CertifiedChainBuilder source = Source.Value;
        RecordingStore db = new();
        Blockchain chain = Blockchain.Open(db, CertifiedChainBuilder.Genesis(), CertifiedChainBuilder.Spec);
        CertificateStore certificates = new(db);
        CertifiedBlockImporter importer = Importer(chain, certificates);
        db.Batches.Clear();
        for (ulong h = 1; h <= source.Chain.Head.Number; h++)
        {
            Assert.That(importer.Import(source.CommitAt(h)), Is.True, $"block {h} committed");
        }

        Assert.That(chain.Head.Hash, Is.EqualTo(source.Chain.Head.Hash));
        Assert.That(chain.Head.StateRoot, Is.EqualTo(source.Chain.Head.StateRoot));
        Assert.That(db.DirectPuts, Is.Zero, "nothing is written outside a batch");
        Assert.That(db.Batches, Has.Count.EqualTo(3), "one batch per block");
        for (ulong h = 1; h <= 3; h++)
        {
            List<(DbColumn Column, byte[] Key)> batch = db.Batches[(int)h - 1];
            byte[] certKey = [.. "cert"u8, 0, 0, 0, 0, 0, 0, 0, (byte)h];
            Assert.That(batch.Exists(e => e.Column == DbColumn.Consensus && e.Key.AsSpan().SequenceEqual(certKey)), Is.True, $"certificate {h} in its block's batch");
            Assert.That(batch.Exists(e => e.Column == DbColumn.Headers), Is.True, $"header {h} in the batch");
            Assert.That(certificates.Read(h)!.BlockHash, Is.EqualTo(chain.HeaderByNumber(h)!.Hash));
        }

        Assert.That(importer.Import(source.CommitAt(3)), Is.False, "the head again: already held, nothing written");
        Assert.That(db.Batches, Has.Count.EqualTo(3));
    }

    [TestCaseSource(nameof(Forgeries))]
    public void BadBlockOrCertificateIsRefusedWithItsErrorAndWritesNothing(string forgery, Type expected, CertificateError? error)
    {
        CertifiedChainBuilder source = Source.Value;
        (MemoryStore db, Blockchain chain) = CertifiedChainBuilder.OpenEmpty();
        CertifiedBlockImporter importer = Importer(chain, new CertificateStore(db));
        int[] before = Counts(db);
        CommitMessage bad = Forge(source, forgery);

        CertifiedBlockException? e = Assert.Throws(expected, () => importer.Import(bad)) as CertifiedBlockException;
        Assert.That(e, Is.Not.Null);
        if (error is not null)
        {
            Assert.That(((CertificateRejectedException)e!).Error, Is.EqualTo(error));
        }

        Assert.That(chain.Head.Hash, Is.EqualTo(chain.Genesis.Hash), "the head did not move");
        Assert.That(Counts(db), Is.EqualTo(before), "nothing was written");
        Assert.That(importer.Import(source.CommitAt(1)), Is.True, "the honest block still imports");
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 0xde, 0xad, 0xbe, 0xef })]
    [TestCase(new byte[] { 0xc0 })]
    public void GarbageBytesAreAMalformedCommit(byte[] garbage)
    {
        (_, Blockchain chain) = CertifiedChainBuilder.OpenEmpty();
        CertifiedBlockImporter importer = Importer(chain, new CertificateStore(chain.Db));
        Assert.That(() => importer.Verify(garbage, 1), Throws.TypeOf<MalformedCommitException>().With.Property(nameof(CertifiedBlockException.Height)).EqualTo(1UL));
    }

    [Test]
    public void AVoteWhereACommitWasExpectedIsAMalformedCommit()
    {
        (_, Blockchain chain) = CertifiedChainBuilder.OpenEmpty();
        CertifiedBlockImporter importer = Importer(chain, new CertificateStore(chain.Db));
        Vote vote = new(chain.Spec.ChainId, 1, 0, VoteType.Precommit, Hash256.Zero, DevChainFixture.Keys[0].Address, new byte[65]);
        Assert.That(() => importer.Verify(ConsensusCodec.Encode(vote), 1), Throws.TypeOf<MalformedCommitException>().With.Message.Contains("Vote"));
    }

    [Test]
    public void CertificateOfAnotherHeightThanAskedIsRefused()
    {
        CertifiedChainBuilder source = Source.Value;
        (_, Blockchain chain) = CertifiedChainBuilder.OpenEmpty();
        CertifiedBlockImporter importer = Importer(chain, new CertificateStore(chain.Db));
        Assert.That(() => importer.Verify(ConsensusCodec.Encode(source.CommitAt(2)), 1), Throws.TypeOf<UnexpectedHeightException>());
    }

    internal static CertifiedBlockImporter Importer(Blockchain chain, CertificateStore certificates) =>
        new(chain, certificates, new ValidatorSchedule(CertifiedChainBuilder.Genesis()), new CachingSignatureVerifier(Secp256k1SignatureVerifier.Instance), new EvmExecutor());

    /// <summary>The commit of block 1 of <paramref name="source"/>, damaged as <paramref name="forgery"/> says.</summary>
    internal static CommitMessage Forge(CertifiedChainBuilder source, string forgery, ulong height = 1)
    {
        CommitMessage honest = source.CommitAt(height);
        CommitCertificate c = honest.Certificate;
        Block block = BlockCodec.Decode(honest.Block);
        ValidatorSet set = new ValidatorSchedule(CertifiedChainBuilder.Genesis()).Members;
        ulong chainId = c.ChainId;
        Hash256 digest = ConsensusDigest.ForVote(chainId, c.Height, c.Round, VoteType.Precommit, c.BlockHash);
        switch (forgery)
        {
            case "tampered transaction":
            {
                // Same header (so the same hash the certificate names), one transfer swapped for another of the same sender.
                Transaction[] txs = [.. block.Transactions];
                Transaction first = txs[0];
                txs[0] = DevChainFixture.Transfer1559(DevChainFixture.Keys[4], first.To!.Value, first.Nonce, first.Value + 1);
                return new CommitMessage(c, BlockCodec.Encode(new Block(block.Header, txs, block.Ommers, block.Withdrawals)));
            }

            case "forged signature":
            {
                CommitSignature[] sigs = c.Signatures.ToArray();
                byte[] s = sigs[1].Signature.ToArray();
                s[10] ^= 0x01;
                sigs[1] = new CommitSignature(sigs[1].ValidatorIndex, s);
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round, c.BlockHash, sigs), honest.Block);
            }

            case "duplicated signature":
            {
                CommitSignature[] sigs = c.Signatures.ToArray();
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round, c.BlockHash, [sigs[0], sigs[0], sigs[1]]), honest.Block);
            }

            case "non-validator key":
            {
                // Index 3 is a validator, but the signature is of test key 7, who is not.
                CommitSignature[] sigs = [.. c.Signatures.ToArray()[..2], new CommitSignature(3, Sign(DevChainFixture.Keys[7], digest))];
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round, c.BlockHash, sigs), honest.Block);
            }

            case "non-validator index":
            {
                CommitSignature[] sigs = [.. c.Signatures.ToArray()[..2], new CommitSignature(7, Sign(DevChainFixture.Keys[7], digest))];
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round, c.BlockHash, sigs), honest.Block);
            }

            case "too few signatures":
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round, c.BlockHash, c.Signatures.ToArray()[..2]), honest.Block);

            case "other round":
                return new CommitMessage(new CommitCertificate(chainId, c.Height, c.Round + 1, c.BlockHash, c.Signatures.ToArray()), honest.Block);

            case "wrong chain":
                return new CommitMessage(CertifiedChainBuilder.Certify(chainId + 1, block, set, 4), honest.Block);

            case "other block":
                return new CommitMessage(c, source.CommitAt(height + 1).Block);

            case "height gap":
                return source.CommitAt(height + 1);

            default:
                throw new ArgumentException(forgery, nameof(forgery));
        }
    }

    private static byte[] Sign(Core.Crypto.PrivateKey key, Hash256 digest)
    {
        byte[] sig = new byte[65];
        key.Sign(digest).WriteCompact(sig);
        return sig;
    }

    private static int[] Counts(MemoryStore db)
    {
        int[] counts = new int[DbColumns.All.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = db.Count(DbColumns.All[i]);
        }

        return counts;
    }

    /// <summary>A memory store that records what each written batch held, and counts writes outside batches.</summary>
    private sealed class RecordingStore : IKeyValueStore
    {
        private readonly MemoryStore _inner = new();

        public List<List<(DbColumn Column, byte[] Key)>> Batches { get; } = [];

        public int DirectPuts { get; private set; }

        public byte[]? Get(DbColumn column, ReadOnlySpan<byte> key) => _inner.Get(column, key);

        public bool Contains(DbColumn column, ReadOnlySpan<byte> key) => _inner.Contains(column, key);

        public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            DirectPuts++;
            _inner.Put(column, key, value);
        }

        public void Delete(DbColumn column, ReadOnlySpan<byte> key) => _inner.Delete(column, key);

        public IWriteBatch StartBatch() => new Batch(this, _inner.StartBatch());

        public IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(DbColumn column) => _inner.Enumerate(column);

        public void Dispose() => _inner.Dispose();

        private sealed class Batch(RecordingStore owner, IWriteBatch inner) : IWriteBatch
        {
            private readonly List<(DbColumn, byte[])> _puts = [];

            public int Count => inner.Count;

            public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
            {
                _puts.Add((column, key.ToArray()));
                inner.Put(column, key, value);
            }

            public void Delete(DbColumn column, ReadOnlySpan<byte> key) => inner.Delete(column, key);

            public void Write()
            {
                inner.Write();
                owner.Batches.Add(_puts);
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
