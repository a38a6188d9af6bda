using Cere.Consensus.Machine;
using Cere.Consensus.Messages;
using Cere.Consensus.Wal;

namespace Cere.Consensus.Tests;

public class WalCrashTests
{
    /// <summary>Records of a validator's WAL after it locked in round 0 and prevoted nil in round 1, with each record's end offset.</summary>
    private static (byte[] Bytes, List<int> Ends, List<Vote> Signed) RecordedRun()
    {
        MachineHarness h = new();
        List<int> ends = [];
        MachineTests.LockOnSevenThenMoveToRoundOne(h);
        h.Driver.OnMessage(h.ProposalBy(1, 8));
        h.ValidateAll();
        List<Vote> signed = [.. h.Effects.OfType<SignedMessageEffect>().Select(e => e.Message).OfType<Vote>()];

        // Re-derive the record boundaries by replaying prefixes of the log.
        byte[] bytes = h.Storage.ReadAll();
        for (int cut = 1; cut <= bytes.Length; cut++)
        {
            MemoryWalStorage s = new();
            s.Append(bytes.AsSpan(0, cut));
            WalReplay r = new ConsensusWal(s).Replay();
            if (!r.TornTailDropped)
            {
                ends.Add(cut);
            }
        }

        return (bytes, ends, signed);
    }

    private static IEnumerable<TestCaseData> CrashPoints()
    {
        (byte[] bytes, List<int> ends, _) = RecordedRun();
        List<int> starts = [0, .. ends];
        for (int k = 0; k < starts.Count; k++)
        {
            int start = starts[k];
            int next = k < ends.Count ? ends[k] : start;
            foreach (int torn in new[] { 0, 1, 7, 8, 9, 30 })
            {
                if (start + torn <= next && (torn == 0 || start + torn < next))
                {
                    yield return new TestCaseData(k, torn).SetName($"CrashAtEveryWalRecord(records {k}, torn bytes {torn})");
                }
            }
        }
    }

    [TestCaseSource(nameof(CrashPoints))]
    public void CrashAtEveryWalRecord(int records, int tornBytes)
    {
        (byte[] bytes, List<int> ends, List<Vote> signed) = RecordedRun();
        Assert.That(signed.Count, Is.EqualTo(ends.Count), "one record per signed vote");
        int cut = records == 0 ? 0 : ends[records - 1];
        MemoryWalStorage storage = new();
        storage.Append(bytes.AsSpan(0, Math.Min(bytes.Length, cut + tornBytes)));

        // Restart: a new machine over the surviving log, then every input that would tempt a validator that forgot.
        MachineHarness h = new(storage);
        h.Driver.StartHeight(1, h.Set);
        Assert.That(h.Driver.ReplayedMessages, Is.EqualTo(records));
        Assert.That(storage.Length, Is.EqualTo(records == 0 ? 0 : cut), "a torn tail is cut off (and an empty height resets the log)");
        h.Driver.OnMessage(h.ProposalBy(0, 9));                            // a different round-0 block (equivocating proposer)
        h.ValidateAll();
        h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Propose, 1, h.Machine.Round));
        h.Driver.OnMessage(h.VoteBy(h.Other(0), 0, VoteType.Prevote, 9));
        h.Driver.OnMessage(h.VoteBy(h.Other(1), 0, VoteType.Prevote, 9));
        h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Prevote, 1, h.Machine.Round));
        h.Driver.OnMessage(h.ProposalBy(1, 9));
        h.ValidateAll();
        h.Driver.OnTimeout(new TimeoutEvent(TimeoutKind.Propose, 1, 1));

        // Whatever it sends now never contradicts what it signed (and logged) before the crash.
        foreach (Vote v in h.OwnVotes())
        {
            foreach (Vote before in signed.Take(records))
            {
                Assert.That(v.ConflictsWith(before), Is.False, $"after restart it signed {v} against its logged {before}");
            }
        }

        bool lockedBeforeCrash = signed.Take(records).Any(v => v.Type == VoteType.Precommit && v.BlockHash is not null);
        if (lockedBeforeCrash)
        {
            Assert.That(h.Machine.LockedRound, Is.EqualTo(0), "the lock comes back from the logged precommit");
            Assert.That(h.OwnVotes().Where(v => v.Round == 1 && v.Type == VoteType.Prevote).All(v => v.BlockHash is null), Is.True, "locked: nil for a new block in round 1");
        }
    }

    [Test]
    public void FileWalSurvivesReopenAndDropsATornTail()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cere-wal-{Guid.NewGuid():N}.log");
        try
        {
            Vote a = Vote.Create(TestKeys.ChainId, 2, 0, VoteType.Prevote, TestKeys.BlockHash(1), TestKeys.Signer(0));
            Vote b = Vote.Create(TestKeys.ChainId, 2, 0, VoteType.Precommit, TestKeys.BlockHash(1), TestKeys.Signer(0));
            using (FileWalStorage f = new(path))
            {
                ConsensusWal wal = new(f);
                wal.AppendEndHeight(1);
                wal.AppendMessage(a);
                wal.AppendMessage(b);
            }

            long good = new FileInfo(path).Length;
            File.AppendAllBytes(path, [0x40, 0, 0, 0, 1, 2]); // a record header cut short by power loss
            using (FileWalStorage f = new(path))
            {
                WalReplay r = new ConsensusWal(f).Replay();
                Assert.That(r.TornTailDropped, Is.True);
                Assert.That(r.LastEndedHeight, Is.EqualTo(1));
                Assert.That(r.Messages.Cast<Vote>().Select(v => v.Type), Is.EqualTo(new[] { VoteType.Prevote, VoteType.Precommit }));
            }

            Assert.That(new FileInfo(path).Length, Is.EqualTo(good), "the torn tail is truncated from the file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CorruptRecordEndsTheReplay()
    {
        MemoryWalStorage s = new();
        ConsensusWal wal = new(s);
        wal.AppendMessage(Vote.Create(TestKeys.ChainId, 2, 0, VoteType.Prevote, null, TestKeys.Signer(0)));
        int first = (int)s.Length;
        wal.AppendMessage(Vote.Create(TestKeys.ChainId, 2, 0, VoteType.Precommit, null, TestKeys.Signer(0)));
        byte[] bytes = s.ReadAll();
        bytes[first + 20] ^= 0xFF; // flip a byte inside the second record: its CRC no longer matches
        MemoryWalStorage corrupted = new();
        corrupted.Append(bytes);
        WalReplay r = new ConsensusWal(corrupted).Replay();
        Assert.That(r.Messages, Has.Count.EqualTo(1));
        Assert.That(r.TornTailDropped, Is.True);
        Assert.That(corrupted.Length, Is.EqualTo(first));
    }

    [Test]
    public void CrcMatchesTheStandardCheckValue() =>
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u)); // the CRC-32/ISO-HDLC check value
}
