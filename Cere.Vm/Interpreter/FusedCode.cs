namespace Cere.Vm.Interpreter;

/// <summary>
/// The untraced interpreter's copy of the code: <c>PUSH1/PUSH2 target; JUMP/JUMPI</c> pairs and
/// <c>ISZERO; PUSH2 target; JUMPI</c> triples with a valid target become one instruction (a byte no Cancun opcode
/// uses), and every undefined opcode becomes INVALID (0xFE) so those bytes are free. Offsets do not change, so the block table, PC and jump targets stay as they are.
/// </summary>
/// <remarks>
/// A fused pair is always entered at its PUSH: the JUMP/JUMPI byte after the data is not a JUMPDEST, so no jump lands
/// on it, and the PUSH data is not an instruction. The target was found to be a JUMPDEST here, once, so the fused jump
/// needs no check; an invalid target is left unfused and fails at run time as before. An undefined opcode and INVALID
/// both halt with <see cref="EvmStatus.InvalidOpcode"/>. The traced loop runs the original bytes (the tracer sees
/// every opcode).
/// </remarks>
internal static class FusedCode
{
    /// <summary>PUSH2 target; JUMP.</summary>
    public const byte Push2Jump = 0xB0;

    /// <summary>PUSH2 target; JUMPI.</summary>
    public const byte Push2JumpI = 0xB1;

    /// <summary>PUSH1 target; JUMP.</summary>
    public const byte Push1Jump = 0xB2;

    /// <summary>PUSH1 target; JUMPI.</summary>
    public const byte Push1JumpI = 0xB3;

    /// <summary>ISZERO; PUSH2 target; JUMPI: jump if the top is zero (a loop's exit test).</summary>
    public const byte IsZeroPush2JumpI = 0xB4;

    /// <summary>Rewrites <paramref name="code"/> (the interpreter's padded copy, from the first code byte) in place.</summary>
    public static void Rewrite(Span<byte> code, byte[] jumpMap)
    {
        for (int i = 0; i < code.Length; i++)
        {
            byte op = code[i];
            if (!OpcodeTable.Defined[op])
            {
                code[i] = 0xFE;
                continue;
            }

            // ISZERO is not a JUMPDEST and neither is the PUSH2 after it, so the triple is only entered at ISZERO.
            if (op == 0x15 && i + 4 < code.Length && code[i + 1] == 0x61 && code[i + 4] == 0x57
                && IsJumpDestination(code, jumpMap, (code[i + 2] << 8) | code[i + 3]))
            {
                code[i] = IsZeroPush2JumpI;
                continue;
            }

            if (op is 0x60 or 0x61)
            {
                int n = op - 0x5F;
                int next = i + 1 + n;
                if (next < code.Length && code[next] is 0x56 or 0x57)
                {
                    int target = n == 1 ? code[i + 1] : (code[i + 1] << 8) | code[i + 2];
                    if (IsJumpDestination(code, jumpMap, target))
                    {
                        bool conditional = code[next] == 0x57;
                        code[i] = n == 2 ? (conditional ? Push2JumpI : Push2Jump) : (conditional ? Push1JumpI : Push1Jump);
                    }
                }
            }

            if (op is >= 0x60 and <= 0x7F)
            {
                i += op - 0x5F;
            }
        }
    }

    private static bool IsJumpDestination(Span<byte> code, byte[] jumpMap, int target) =>
        target < code.Length && (jumpMap[target >> 3] & (1 << (target & 7))) != 0;
}
