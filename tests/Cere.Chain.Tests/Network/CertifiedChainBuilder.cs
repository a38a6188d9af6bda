using System.Buffers.Binary;
using Cere.Chain.Blocks;
using Cere.Chain.Consensus;
using Cere.Chain.Execution;
using Cere.Consensus.Messages;
using Cere.Consensus.Signing;
using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Blocks;
using Cere.Core.Chainspec;
using Cere.Core.Crypto;
using Cere.Core.Transactions;
using Cere.Storage.Db;

namespace Cere.Chain.Tests.Network;

/// <summary>
/// A chain of decided blocks made in-process, fast: the dev genesis with the four test validators of
/// <see cref="ValidatorNetworkFixture"/>, blocks of a few transfers each (senders: test keys 4–9, new recipients every
/// block), each committed with a commit certificate that three of the four validator keys sign (the smallest quorum).
/// </summary>
internal sealed class CertifiedChainBuilder
{
    public const int Validators = 4;

    private CertifiedChainBuilder(MemoryStore db, Blockchain chain, CertificateStore certificates)
    {
        Db = db;
        Chain = chain;
        Certificates = certificates;
    }

    public MemoryStore Db { get; }

    public Blockchain Chain { get; }

    public CertificateStore Certificates { get; }

    public static ChainSpec Spec => DevChainFixture.Spec();

    /// <summary>The dev genesis with the four validators of the network tests (equal stake).</summary>
    public static Genesis Genesis()
    {
        Genesis dev = DevChainFixture.Genesis();
        GenesisValidator[] validators = new GenesisValidator[Validators];
        for (int i = 0; i < Validators; i++)
        {
            validators[i] = new GenesisValidator(DevChainFixture.Keys[i].Address, UInt256.Parse("1000000000000000000000"));
        }

        return new Genesis
        {
            ChainId = dev.ChainId, Timestamp = dev.Timestamp, GasLimit = dev.GasLimit, BaseFeePerGas = dev.BaseFeePerGas, ExtraData = dev.ExtraData,
            Coinbase = dev.Coinbase, MixHash = dev.MixHash, Alloc = dev.Alloc, Validators = validators,
        };
    }

    /// <summary>An empty chain (genesis only) on a new in-memory database.</summary>
    public static (MemoryStore Db, Blockchain Chain) OpenEmpty()
    {
        MemoryStore db = new();
        return (db, Blockchain.Open(db, Genesis(), Spec));
    }

    /// <summary>Builds <paramref name="blocks"/> certified blocks of <paramref name="transfersPerBlock"/> transfers (at most 6).</summary>
    public static CertifiedChainBuilder Build(int blocks, int transfersPerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(transfersPerBlock, 6);
        (MemoryStore db, Blockchain chain) = OpenEmpty();
        CertificateStore certificates = new(db);
        BlockBuilder builder = new(chain, new EvmExecutor());
        ValidatorSet set = new ValidatorSchedule(Genesis()).Members;
        UInt256 value = new(1_000_000_000UL);
        for (int n = 0; n < blocks; n++)
        {
            BlockHeader head = chain.Head;
            Dictionary<Address, Transaction[]> pending = [];
            for (int s = 0; s < transfersPerBlock; s++)
            {
                PrivateKey sender = DevChainFixture.Keys[4 + s];
                pending[sender.Address] = [DevChainFixture.Transfer1559(sender, RecipientOf(head.Number + 1, s), (ulong)n, value)];
            }

            BuiltBlock built = EvmExecutor.RunOnEvmThread(() => builder.Build(head, pending, head.Timestamp + 1, DevChainFixture.Keys[n % Validators].Address));
            if (built.Block.Transactions.Length != transfersPerBlock)
            {
                throw new InvalidOperationException($"block {built.Block.Number} took {built.Block.Transactions.Length} of {transfersPerBlock} transfers");
            }

            CommitCertificate cert = Certify(chain.Spec.ChainId, built.Block, set, signers: 3);
            if (!certificates.CommitWithBlock(chain, built.Block, built.Receipts, built.State, cert))
            {
                throw new InvalidOperationException("the head moved while building");
            }
        }

        return new CertifiedChainBuilder(db, chain, certificates);
    }

    /// <summary>A certificate for <paramref name="block"/> signed by the first <paramref name="signers"/> validators of <paramref name="set"/> (by index).</summary>
    public static CommitCertificate Certify(ulong chainId, Block block, ValidatorSet set, int signers, int round = 0)
    {
        Hash256 digest = ConsensusDigest.ForVote(chainId, block.Number, round, VoteType.Precommit, block.Hash);
        List<CommitSignature> sigs = [];
        byte[] sig = new byte[65];
        for (int i = 0; i < signers; i++)
        {
            KeyOf(set[i].Address).Sign(digest).WriteCompact(sig);
            sigs.Add(new CommitSignature(i, sig));
        }

        return new CommitCertificate(chainId, block.Number, round, block.Hash, sigs);
    }

    /// <summary>The validator key with <paramref name="address"/>.</summary>
    public static PrivateKey KeyOf(Address address)
    {
        for (int i = 0; i < Validators; i++)
        {
            if (DevChainFixture.Keys[i].Address == address)
            {
                return DevChainFixture.Keys[i];
            }
        }

        throw new ArgumentException($"{address} is not a test validator", nameof(address));
    }

    /// <summary>The commit message of height <paramref name="height"/> as stored.</summary>
    public CommitMessage CommitAt(ulong height)
    {
        BlockHeader header = Chain.HeaderByNumber(height) ?? throw new ArgumentOutOfRangeException(nameof(height));
        Block block = Chain.Blocks.ReadBlock(header.Hash)!;
        return new CommitMessage(Certificates.Read(height)!, BlockCodec.Encode(block));
    }

    private static Address RecipientOf(ulong height, int i)
    {
        Span<byte> seed = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(seed, height);
        BinaryPrimitives.WriteInt32BigEndian(seed[8..], i);
        return new Address(Keccak256.Compute(seed).Bytes[12..]);
    }
}
