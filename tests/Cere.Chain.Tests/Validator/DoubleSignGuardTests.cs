using Cere.Chain.ValidatorKeys;
using Cere.Consensus.Signing;

namespace Cere.Chain.Tests.ValidatorKeys;

/// <summary>
/// The double-sign guard: positions only move forward, the last one survives a restart, a crash at any stage of a
/// write leaves the old or the new position (never a missing or torn file), and a damaged file stops the node.
/// </summary>
public class DoubleSignGuardTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Path.Combine(Path.GetTempPath(), "cere-guard-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void ANewGuardAuthorizesTheFirstSignatureAndThenOnlyLaterOnes()
    {
        using DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        Assert.That(guard.LastSigned, Is.Null);
        Assert.That(guard.TryAuthorize(10, 0, SignedKind.Proposal), Is.True);
        Assert.That(guard.TryAuthorize(10, 0, SignedKind.Prevote), Is.True);
        Assert.That(guard.TryAuthorize(10, 0, SignedKind.Precommit), Is.True);
        Assert.That(guard.TryAuthorize(10, 1, SignedKind.Prevote), Is.True);
        Assert.That(guard.TryAuthorize(11, 0, SignedKind.Prevote), Is.True);
        Assert.That(guard.LastSigned, Is.EqualTo(new SignPosition(11, 0, SignedKind.Prevote)));
    }

    [TestCase(11UL, 0, SignedKind.Prevote, TestName = "the_identical_vote")]
    [TestCase(11UL, 0, SignedKind.Proposal, TestName = "a_lower_step")]
    [TestCase(10UL, 5, SignedKind.Precommit, TestName = "a_lower_height")]
    [TestCase(0UL, 0, SignedKind.Proposal, TestName = "height_zero")]
    public void RefusesAtOrBelowTheLastPositionAndChangesNothing(ulong height, int round, SignedKind step)
    {
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(11, 0, SignedKind.Prevote), Is.True);
            byte[] before = File.ReadAllBytes(guard.FilePath);
            Assert.That(guard.TryAuthorize(height, round, step), Is.False);
            Assert.That(guard.LastSigned, Is.EqualTo(new SignPosition(11, 0, SignedKind.Prevote)));
            Assert.That(File.ReadAllBytes(guard.FilePath), Is.EqualTo(before));
        }

        using DoubleSignGuard reopened = DoubleSignGuard.Open(_dir);
        Assert.That(reopened.LastSigned, Is.EqualTo(new SignPosition(11, 0, SignedKind.Prevote)));
    }

    [Test]
    public void ARoundAheadAtTheSameHeightIsAllowedAndALowerRoundIsNot()
    {
        using DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        Assert.That(guard.TryAuthorize(5, 3, SignedKind.Precommit), Is.True);
        Assert.That(guard.TryAuthorize(5, 2, SignedKind.Precommit), Is.False);
        Assert.That(guard.TryAuthorize(5, 4, SignedKind.Proposal), Is.True);
    }

    [Test]
    public void ARestartKeepsTheLastPosition()
    {
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(ulong.MaxValue - 1, int.MaxValue, SignedKind.Precommit), Is.True);
        }

        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.LastSigned, Is.EqualTo(new SignPosition(ulong.MaxValue - 1, int.MaxValue, SignedKind.Precommit)));
            Assert.That(guard.TryAuthorize(ulong.MaxValue - 1, int.MaxValue, SignedKind.Precommit), Is.False);
            Assert.That(guard.TryAuthorize(ulong.MaxValue, 0, SignedKind.Proposal), Is.True);
        }

        using DoubleSignGuard again = DoubleSignGuard.Open(_dir);
        Assert.That(again.LastSigned, Is.EqualTo(new SignPosition(ulong.MaxValue, 0, SignedKind.Proposal)));
    }

    [Test]
    public void ACrashAfterTheTemporaryWriteLeavesTheOldPosition()
    {
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(7, 0, SignedKind.Prevote), Is.True);
            guard.StageReached = stage => throw new SimulatedCrash(stage);
            Assert.Throws<SimulatedCrash>(() => guard.TryAuthorize(7, 0, SignedKind.Precommit), "no signature may be released");
            Assert.That(File.Exists(guard.FilePath + ".tmp"), Is.True, "the crash left the new record in the temporary file");
        }

        using DoubleSignGuard reopened = DoubleSignGuard.Open(_dir);
        Assert.That(reopened.LastSigned, Is.EqualTo(new SignPosition(7, 0, SignedKind.Prevote)));
        Assert.That(File.Exists(reopened.FilePath + ".tmp"), Is.False, "the unauthorized temporary record is discarded");
        Assert.That(reopened.TryAuthorize(7, 0, SignedKind.Precommit), Is.True);
    }

    [Test]
    public void ACrashAfterTheRenameLeavesTheNewPosition()
    {
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(7, 0, SignedKind.Prevote), Is.True);
            guard.StageReached = stage =>
            {
                if (stage == GuardWriteStage.Renamed)
                {
                    throw new SimulatedCrash(stage);
                }
            };
            Assert.Throws<SimulatedCrash>(() => guard.TryAuthorize(8, 2, SignedKind.Proposal));
        }

        using DoubleSignGuard reopened = DoubleSignGuard.Open(_dir);
        Assert.That(reopened.LastSigned, Is.EqualTo(new SignPosition(8, 2, SignedKind.Proposal)));
        Assert.That(reopened.TryAuthorize(8, 2, SignedKind.Proposal), Is.False);
    }

    [Test]
    public void EveryStageIsReachedInOrderBeforeTheSignatureIsReleased()
    {
        using DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        List<GuardWriteStage> stages = [];
        guard.StageReached = stages.Add;
        Assert.That(guard.TryAuthorize(1, 0, SignedKind.Prevote), Is.True);
        Assert.That(stages, Is.EqualTo(new[] { GuardWriteStage.TempWritten, GuardWriteStage.Renamed, GuardWriteStage.DirectorySynced }));
    }

    [Test]
    public void ATornTemporaryFileFromACrashIsIgnored()
    {
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(3, 1, SignedKind.Precommit), Is.True);
        }

        // A crash in the middle of writing the temporary file: half a record of a later position.
        byte[] later = DoubleSignGuard.Encode(new SignPosition(4, 0, SignedKind.Proposal));
        File.WriteAllBytes(Path.Combine(_dir, DoubleSignGuard.FileName + ".tmp"), later[..9]);

        using DoubleSignGuard reopened = DoubleSignGuard.Open(_dir);
        Assert.That(reopened.LastSigned, Is.EqualTo(new SignPosition(3, 1, SignedKind.Precommit)));
    }

    private static IEnumerable<TestCaseData> Corruptions()
    {
        static TestCaseData Case(string name, Func<byte[], byte[]> corrupt, string messagePart) => new TestCaseData(corrupt, messagePart).SetName(name);
        yield return Case("empty_file", _ => [], "0 bytes");
        yield return Case("truncated", r => r[..21], "21 bytes");
        yield return Case("one_byte_appended", r => [.. r, 0], "23 bytes");
        yield return Case("height_bit_flipped", r => Flip(r, 12), "checksum mismatch");
        yield return Case("step_changed", r => Flip(r, 17), "checksum mismatch");
        yield return Case("checksum_bit_flipped", r => Flip(r, 21), "checksum mismatch");
        yield return Case("bad_magic", r => Flip(r, 0), "bad header");
        yield return Case("unknown_format_version", r => Flip(r, 4), "bad header");
        yield return Case("text_instead_of_record", _ => "{\"height\":\"5\",\"round\":0}"u8.ToArray(), "bytes, expected 22");

        static byte[] Flip(byte[] r, int i)
        {
            byte[] c = (byte[])r.Clone();
            c[i] ^= 0x01;
            return c;
        }
    }

    [TestCaseSource(nameof(Corruptions))]
    public void ACorruptedFileRefusesToStartAndIsNotReset(Func<byte[], byte[]> corrupt, string messagePart)
    {
        string path;
        using (DoubleSignGuard guard = DoubleSignGuard.Open(_dir))
        {
            Assert.That(guard.TryAuthorize(100, 0, SignedKind.Precommit), Is.True);
            path = guard.FilePath;
        }

        byte[] damaged = corrupt(File.ReadAllBytes(path));
        File.WriteAllBytes(path, damaged);

        DoubleSignGuardException e = Assert.Throws<DoubleSignGuardException>(() => DoubleSignGuard.Open(_dir))!;
        Assert.That(e.Message, Does.Contain(messagePart).And.Contain("refusing to start").And.Contain(path));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(damaged), "the damaged file is left as it is for the operator");

        // The failed open released its lock: after a repair the guard opens.
        File.WriteAllBytes(path, DoubleSignGuard.Encode(new SignPosition(100, 0, SignedKind.Precommit)));
        using DoubleSignGuard repaired = DoubleSignGuard.Open(_dir);
        Assert.That(repaired.LastSigned, Is.EqualTo(new SignPosition(100, 0, SignedKind.Precommit)));
    }

    [Test]
    public void ASecondGuardOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen()
    {
        using (DoubleSignGuard first = DoubleSignGuard.Open(_dir))
        {
            DoubleSignGuardException e = Assert.Throws<DoubleSignGuardException>(() => DoubleSignGuard.Open(_dir))!;
            Assert.That(e.Message, Does.Contain("in use by another process"));
        }

        using DoubleSignGuard later = DoubleSignGuard.Open(_dir);
        Assert.That(later.LastSigned, Is.Null);
    }

    [Test]
    public void BadArgumentsAreRejectedBeforeAnythingIsWritten()
    {
        using DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        Assert.Throws<ArgumentOutOfRangeException>(() => guard.TryAuthorize(1, -1, SignedKind.Prevote));
        Assert.Throws<ArgumentOutOfRangeException>(() => guard.TryAuthorize(1, 0, (SignedKind)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => guard.TryAuthorize(1, 0, (SignedKind)4));
        Assert.That(guard.LastSigned, Is.Null);
        Assert.That(File.Exists(guard.FilePath), Is.False);
    }

    [Test]
    public void AfterDisposeNothingIsAuthorized()
    {
        DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        guard.Dispose();
        Assert.Throws<ObjectDisposedException>(() => guard.TryAuthorize(1, 0, SignedKind.Prevote));
    }

    [Test]
    public void ConcurrentCallersNeverGetTheSamePositionTwice()
    {
        using DoubleSignGuard guard = DoubleSignGuard.Open(_dir);
        int granted = 0;
        Parallel.For(0, 8, _ =>
        {
            for (ulong h = 1; h <= 20; h++)
            {
                if (guard.TryAuthorize(h, 0, SignedKind.Prevote))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });

        // Each of the 20 positions is granted to at most one caller; a caller may skip a height another already passed.
        Assert.That(granted, Is.InRange(1, 20));
        Assert.That(guard.LastSigned, Is.EqualTo(new SignPosition(20, 0, SignedKind.Prevote)));
    }

    private sealed class SimulatedCrash(GuardWriteStage stage) : Exception($"simulated crash at {stage}");
}
