using Cere.Consensus.Evidence;
using Cere.Consensus.Validators;
using Cere.Core;
using Cere.Core.Rlp;

namespace Cere.Consensus.Messages;

/// <summary>
/// The compact encodings: a message is RLP [kind, body]; a vote RLP [chain, height, round, type, hash-or-empty, validator,
/// signature]; a proposal RLP [chain, height, round, pol round + 1, hash, block, proposer, signature]; a certificate RLP
/// [chain, height, round, hash, [[index, signature], …]]; evidence RLP [vote, vote].
/// </summary>
/// <remarks>Decoding is strict (canonical RLP, exact lengths, ranges checked) and throws <see cref="ConsensusDecodeException"/>.</remarks>
public static class ConsensusCodec
{
    /// <summary>The largest round a message may carry (rounds grow by one per timeout; this is centuries of timeouts).</summary>
    public const int MaxRound = 1 << 20;

    /// <summary>The largest block a proposal may carry, in bytes.</summary>
    public const int MaxBlockSize = 16 << 20;

    /// <summary>The largest encoded message, in bytes.</summary>
    public const int MaxMessageSize = MaxBlockSize + (1 << 20);

    private const byte KindProposal = 1;
    private const byte KindVote = 2;
    private const byte KindCommit = 3;

    /// <summary>Encodes a message with its kind.</summary>
    public static byte[] Encode(ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (byte kind, byte[] body) = message switch
        {
            Proposal p => (KindProposal, EncodeProposal(p)),
            Vote v => (KindVote, EncodeVote(v)),
            CommitMessage c => (KindCommit, EncodeCommitBody(c)),
            _ => throw new ArgumentException($"unknown message type {message.GetType().Name}", nameof(message)),
        };
        return Rlp.EncodeList(Rlp.EncodeUInt64(kind), body);
    }

    /// <summary>Decodes a message.</summary>
    /// <exception cref="ConsensusDecodeException">The bytes are not a valid message.</exception>
    public static ConsensusMessage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxMessageSize)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.MessageTooLarge, $"{data.Length} bytes exceed the limit of {MaxMessageSize}");
        }

        return Guard(data, static (ref RlpReader r) =>
        {
            int end = r.ReadListHeader();
            int kindOffset = r.Position;
            ulong kind = r.ReadUInt64();
            ConsensusMessage m = kind switch
            {
                KindProposal => ReadProposal(ref r),
                KindVote => ReadVote(ref r),
                KindCommit => ReadCommitBody(ref r),
                _ => throw new ConsensusDecodeException(ConsensusDecodeError.UnknownMessageKind, $"message kind {kind} at offset {kindOffset} (expected 1 proposal, 2 vote, 3 commit)"),
            };
            r.EnsureAt(end);
            return m;
        });
    }

    /// <summary>Encodes a vote.</summary>
    public static byte[] EncodeVote(Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        int payload = LengthOfVoteFields(vote);
        byte[] result = new byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        w.WriteUInt64(vote.ChainId);
        w.WriteUInt64(vote.Height);
        w.WriteUInt64((ulong)vote.Round);
        w.WriteUInt64((ulong)vote.Type);
        if (vote.BlockHash is { } h)
        {
            w.WriteHash256(h);
        }
        else
        {
            w.WriteBytes([]);
        }

        w.WriteAddress(vote.Validator);
        w.WriteBytes(vote.Signature);
        w.EnsureFilled();
        return result;
    }

    /// <summary>Decodes a vote.</summary>
    /// <exception cref="ConsensusDecodeException">The bytes are not a valid vote.</exception>
    public static Vote DecodeVote(ReadOnlySpan<byte> data) => Guard(data, static (ref RlpReader r) => ReadVote(ref r));

    /// <summary>Encodes a proposal.</summary>
    public static byte[] EncodeProposal(Proposal p)
    {
        ArgumentNullException.ThrowIfNull(p);
        int payload = Rlp.LengthOf(p.ChainId) + Rlp.LengthOf(p.Height) + Rlp.LengthOf((ulong)p.Round) + Rlp.LengthOf((ulong)(p.PolRound + 1))
            + Rlp.LengthOfHash + Rlp.LengthOfBytes(p.Block) + Rlp.LengthOfAddress + Rlp.LengthOfBytes(p.Signature);
        byte[] result = new byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        w.WriteUInt64(p.ChainId);
        w.WriteUInt64(p.Height);
        w.WriteUInt64((ulong)p.Round);
        w.WriteUInt64((ulong)(p.PolRound + 1));
        w.WriteHash256(p.BlockHash);
        w.WriteBytes(p.Block);
        w.WriteAddress(p.Proposer);
        w.WriteBytes(p.Signature);
        w.EnsureFilled();
        return result;
    }

    /// <summary>Encodes a commit certificate.</summary>
    public static byte[] EncodeCertificate(CommitCertificate c)
    {
        ArgumentNullException.ThrowIfNull(c);
        ReadOnlySpan<CommitSignature> sigs = c.Signatures;
        int sigsPayload = 0;
        foreach (CommitSignature s in sigs)
        {
            sigsPayload += Rlp.LengthOfList(LengthOfSignatureEntry(s));
        }

        int payload = Rlp.LengthOf(c.ChainId) + Rlp.LengthOf(c.Height) + Rlp.LengthOf((ulong)c.Round) + Rlp.LengthOfHash + Rlp.LengthOfList(sigsPayload);
        byte[] result = new byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(result);
        w.WriteListHeader(payload);
        w.WriteUInt64(c.ChainId);
        w.WriteUInt64(c.Height);
        w.WriteUInt64((ulong)c.Round);
        w.WriteHash256(c.BlockHash);
        w.WriteListHeader(sigsPayload);
        foreach (CommitSignature s in sigs)
        {
            w.WriteListHeader(LengthOfSignatureEntry(s));
            w.WriteUInt64((ulong)s.ValidatorIndex);
            w.WriteBytes(s.Signature);
        }

        w.EnsureFilled();
        return result;
    }

    /// <summary>Decodes a commit certificate.</summary>
    /// <exception cref="ConsensusDecodeException">The bytes are not a valid certificate.</exception>
    public static CommitCertificate DecodeCertificate(ReadOnlySpan<byte> data) => Guard(data, static (ref RlpReader r) => ReadCertificate(ref r));

    /// <summary>Encodes duplicate-vote evidence.</summary>
    public static byte[] EncodeEvidence(DuplicateVoteEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Rlp.EncodeList(EncodeVote(e.VoteA), EncodeVote(e.VoteB));
    }

    /// <summary>Decodes duplicate-vote evidence (the two votes must conflict; signatures are checked by <see cref="DuplicateVoteEvidence.Verify"/>).</summary>
    /// <exception cref="ConsensusDecodeException">The bytes are not valid evidence.</exception>
    public static DuplicateVoteEvidence DecodeEvidence(ReadOnlySpan<byte> data) => Guard(data, static (ref RlpReader r) =>
    {
        int end = r.ReadListHeader();
        Vote a = ReadVote(ref r);
        Vote b = ReadVote(ref r);
        r.EnsureAt(end);
        if (!a.ConflictsWith(b))
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.NotConflicting, "the two votes are not of one validator, height, round and type for different values");
        }

        return new DuplicateVoteEvidence(a, b);
    });

    private delegate T ReadFunc<T>(ref RlpReader reader);

    private static T Guard<T>(ReadOnlySpan<byte> data, ReadFunc<T> read)
    {
        try
        {
            RlpReader r = new(data);
            T value = read(ref r);
            r.EnsureFinished();
            return value;
        }
        catch (RlpException e)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.MalformedRlp, e.Message, e);
        }
    }

    private static int LengthOfVoteFields(Vote v) =>
        Rlp.LengthOf(v.ChainId) + Rlp.LengthOf(v.Height) + Rlp.LengthOf((ulong)v.Round) + Rlp.LengthOf((ulong)v.Type)
        + (v.BlockHash is null ? 1 : Rlp.LengthOfHash) + Rlp.LengthOfAddress + Rlp.LengthOfBytes(v.Signature);

    private static int LengthOfSignatureEntry(CommitSignature s) => Rlp.LengthOf((ulong)s.ValidatorIndex) + Rlp.LengthOfBytes(s.Signature);

    private static Vote ReadVote(ref RlpReader r)
    {
        int end = r.ReadListHeader();
        ulong chainId = r.ReadUInt64();
        ulong height = r.ReadUInt64();
        int round = ReadRound(ref r);
        ulong type = r.ReadUInt64();
        if (type is not ((ulong)VoteType.Prevote or (ulong)VoteType.Precommit))
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.UnknownVoteType, $"vote type {type} (expected 1 prevote or 2 precommit)");
        }

        ReadOnlySpan<byte> hash = r.ReadBytes();
        Hash256? blockHash = hash.Length switch
        {
            0 => null,
            Hash256.Size => new Hash256(hash),
            _ => throw new ConsensusDecodeException(ConsensusDecodeError.BadBlockHash, $"a vote's block hash is empty (nil) or 32 bytes, got {hash.Length}"),
        };
        Address validator = r.ReadAddress();
        ReadOnlySpan<byte> sig = ReadSignature(ref r);
        r.EnsureAt(end);
        return new Vote(chainId, height, round, (VoteType)type, blockHash, validator, sig);
    }

    private static Proposal ReadProposal(ref RlpReader r)
    {
        int end = r.ReadListHeader();
        ulong chainId = r.ReadUInt64();
        ulong height = r.ReadUInt64();
        int round = ReadRound(ref r);
        ulong pol = r.ReadUInt64();
        if (pol > (ulong)round)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.PolRoundOutOfRange, $"polka round {(long)pol - 1} is not below the proposal round {round}");
        }

        Hash256 blockHash = r.ReadHash256();
        ReadOnlySpan<byte> block = r.ReadBytes();
        if (block.Length > MaxBlockSize)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.BlockTooLarge, $"a {block.Length}-byte block exceeds the limit of {MaxBlockSize}");
        }

        Address proposer = r.ReadAddress();
        ReadOnlySpan<byte> sig = ReadSignature(ref r);
        r.EnsureAt(end);
        return new Proposal(chainId, height, round, (int)pol - 1, blockHash, block, proposer, sig);
    }

    private static CommitMessage ReadCommitBody(ref RlpReader r)
    {
        int end = r.ReadListHeader();
        CommitCertificate c = ReadCertificate(ref r);
        ReadOnlySpan<byte> block = r.ReadBytes();
        if (block.Length > MaxBlockSize)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.BlockTooLarge, $"a {block.Length}-byte block exceeds the limit of {MaxBlockSize}");
        }

        r.EnsureAt(end);
        return new CommitMessage(c, block);
    }

    private static byte[] EncodeCommitBody(CommitMessage c) => Rlp.EncodeList(EncodeCertificate(c.Certificate), Rlp.EncodeBytes(c.Block));

    private static CommitCertificate ReadCertificate(ref RlpReader r)
    {
        int end = r.ReadListHeader();
        ulong chainId = r.ReadUInt64();
        ulong height = r.ReadUInt64();
        int round = ReadRound(ref r);
        Hash256 blockHash = r.ReadHash256();
        int sigsEnd = r.ReadListHeader();
        List<CommitSignature> sigs = [];
        while (r.HasItemsBefore(sigsEnd))
        {
            if (sigs.Count == ValidatorSet.MaxValidators)
            {
                throw new ConsensusDecodeException(ConsensusDecodeError.TooManySignatures, $"more than {ValidatorSet.MaxValidators} signatures");
            }

            int entryEnd = r.ReadListHeader();
            ulong index = r.ReadUInt64();
            if (index >= ValidatorSet.MaxValidators)
            {
                throw new ConsensusDecodeException(ConsensusDecodeError.ValidatorIndexOutOfRange, $"validator index {index} is not below {ValidatorSet.MaxValidators}");
            }

            ReadOnlySpan<byte> sig = ReadSignature(ref r);
            r.EnsureAt(entryEnd);
            sigs.Add(new CommitSignature((int)index, sig));
        }

        r.EnsureAt(sigsEnd);
        r.EnsureAt(end);
        return new CommitCertificate(chainId, height, round, blockHash, sigs);
    }

    private static int ReadRound(ref RlpReader r)
    {
        ulong round = r.ReadUInt64();
        if (round > MaxRound)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.RoundOutOfRange, $"round {round} exceeds the limit of {MaxRound}");
        }

        return (int)round;
    }

    private static ReadOnlySpan<byte> ReadSignature(ref RlpReader r)
    {
        ReadOnlySpan<byte> sig = r.ReadBytes();
        if (sig.Length != Vote.SignatureSize)
        {
            throw new ConsensusDecodeException(ConsensusDecodeError.BadSignatureLength, $"a signature is {Vote.SignatureSize} bytes, got {sig.Length}");
        }

        return sig;
    }
}
