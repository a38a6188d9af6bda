using System.Buffers;
using System.Runtime.CompilerServices;

namespace Cere.Vm.Interpreter;

/// <summary>
/// Basic-block pre-charging (evmone's "advanced" analysis, adapted): for every instruction start, the static gas, the
/// stack height needed and the largest stack growth of the straight-line run from that instruction to the next block
/// end. The untraced interpreter checks these once on entering a block instead of once per opcode.
/// </summary>
/// <remarks>
/// A block ends at an instruction after which control may not fall through (JUMP, JUMPI, STOP, RETURN, REVERT,
/// SELFDESTRUCT, INVALID and undefined opcodes) and at every instruction whose semantics read the gas left (GAS,
/// SSTORE's EIP-2200 sentry, the CALL family and CREATE/CREATE2 for the 63/64 rule): when such an instruction runs,
/// exactly the static costs up to and including it have been charged, as in opcode-by-opcode metering. A JUMPDEST
/// does not end a block reached by falling through; a jump enters the (shorter) block that starts at its target.
/// Pre-charging changes when an exceptional halt is detected inside a block, never whether one happens: the
/// block's static gas is a lower bound on what running it costs, a halt consumes all the frame's gas and reverts
/// its changes either way, and halting instructions (STOP, RETURN, REVERT, SELFDESTRUCT) are always last in a block.
/// </remarks>
internal static class BlockCosts
{
    /// <summary>Gas occupies the low 40 bits of an entry.</summary>
    public const long GasMask = (1L << 40) - 1;

    private const int FieldMask = 0xFFF;
    private const int GrowthBias = 2048;

    /// <summary>
    /// The packed entries, one per code byte plus one for the end of the code (an implicit STOP, cost 0);
    /// entries at bytes inside PUSH data are unused.
    /// </summary>
    public static long[] Analyse(ReadOnlySpan<byte> code)
    {
        long[] entries = new long[code.Length + 1];
        entries[code.Length] = Pack(0, 0, 0);
        int[] starts = ArrayPool<int>.Shared.Rent(Math.Max(1, code.Length));
        try
        {
            int count = 0;
            for (int i = 0; i < code.Length; i += 1 + PushBytes(code[i]))
            {
                starts[count++] = i;
            }

            // Walk backwards so each instruction's block is itself plus the block of the next instruction.
            long gas = 0;
            int need = 0, growth = 0;
            for (int k = count - 1; k >= 0; k--)
            {
                int i = starts[k];
                byte op = code[i];
                long opGas = OpcodeTable.Gas[op];
                int opIn = OpcodeTable.In[op];
                int opGrowth = OpcodeTable.Growth[op];
                if (EndsBlock(op) || k == count - 1)
                {
                    // The last instruction falls through into the implicit STOP, which costs and needs nothing.
                    gas = opGas;
                    need = opIn;
                    growth = opGrowth;
                }
                else
                {
                    gas += opGas;
                    need = Math.Max(opIn, need - opGrowth);
                    growth = Math.Max(opGrowth, opGrowth + growth);
                }

                entries[i] = Pack(gas, need, growth);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
        }

        return entries;
    }

    /// <summary>The static gas of the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Gas(long entry) => entry & GasMask;

    /// <summary>The stack height the block needs on entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Need(long entry) => (int)(entry >> 40) & FieldMask;

    /// <summary>The largest net stack growth at any point in the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Growth(long entry) => (int)((ulong)entry >> 52) - GrowthBias;

    /// <summary>True if control does not fall through the opcode, or the opcode reads the gas left.</summary>
    public static bool EndsBlock(byte op) =>
        !OpcodeTable.Defined[op] || op is 0x00 or 0x56 or 0x57 or 0x5A or 0x55 or 0xF0 or 0xF1 or 0xF2 or 0xF3 or 0xF4 or 0xF5 or 0xFA or 0xFD or 0xFE or 0xFF;

    private static int PushBytes(byte op) => op is >= 0x60 and <= 0x7F ? op - 0x5F : 0;

    private static long Pack(long gas, int need, int growth)
    {
        // Clamping keeps the checks exact: a stack holds at most 1024 items, so a need above 1024 always fails,
        // as does a growth above 1024; a growth below −1024 never overflows.
        long g = Math.Min(gas, GasMask);
        long n = Math.Min(need, 1025);
        long d = Math.Clamp(growth, -1025, 1025) + GrowthBias;
        return g | (n << 40) | (d << 52);
    }
}
