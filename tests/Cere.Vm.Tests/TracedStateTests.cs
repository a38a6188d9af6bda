using Cere.Core;
using Cere.Vm.StateTests;

namespace Cere.Vm.Tests;

/// <summary>
/// The traced interpreter loop (opcode-by-opcode gas and stack checks, original code bytes) must reach the same
/// post-states as the untraced one (block pre-charging, fused jumps): the VMTests folders' entries run with a
/// tracer attached, and the tracer must see every opcode with a sane pc, gas and stack.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class TracedStateTests
{
    /// <summary>Every entry of state/VMTests except vmPerformance (long loops, slow with a tracer call per opcode).</summary>
    public static IEnumerable<TestCaseData> Entries()
    {
        foreach (string file in StateTestFixtures.Files())
        {
            if (!file.StartsWith("state/VMTests/", StringComparison.Ordinal) || file.Contains("/vmPerformance/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (StateTestCase c in StateTestFixtures.Load(file))
            {
                yield return new TestCaseData(c).SetName("traced: " + c.DisplayName);
            }
        }
    }

    /// <summary>Post-state root and logs as the fixture expects, with the tracer seeing opcodes.</summary>
    [TestCaseSource(nameof(Entries))]
    public void Entry(StateTestCase c)
    {
        CheckingTracer tracer = new();
        StateTestOutcome o = StateTestRunner.Run(c, tracer);
        Assert.That(o.Pass, Is.True, o.Error);
        Assert.That(tracer.Problem, Is.Null);
        if (c.ExpectException is null && tracer.Frames > 0)
        {
            Assert.That(tracer.Opcodes, Is.GreaterThan(0), "a frame ran but the tracer saw no opcode");
        }
    }

    private sealed class CheckingTracer : ITxTracer
    {
        public long Opcodes { get; private set; }

        public int Frames { get; private set; }

        public string? Problem { get; private set; }

        public void OnOpcode(int pc, byte opcode, long gas, int depth, ReadOnlySpan<UInt256> stack)
        {
            Opcodes++;
            if (pc < 0 || gas < 0 || stack.Length > 1024 || depth < 0 || depth > 1024)
            {
                Problem ??= $"opcode 0x{opcode:x2} at pc {pc}: gas {gas}, stack {stack.Length}, depth {depth}";
            }
        }

        public void OnEnterFrame(byte kind, Address from, Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value, int depth) => Frames++;

        public void OnExitFrame(EvmStatus status, long gasLeft, ReadOnlySpan<byte> output, int depth)
        {
        }

        public void OnStorageChange(Address address, in UInt256 slot, in UInt256 value)
        {
        }
    }
}
