using Cere.Core;

namespace Cere.Vm;

/// <summary>JUMPDEST analysis: a bitmap of valid jump targets (JUMPDEST bytes not inside PUSH data); CodeInfo caches it per code hash.</summary>
internal static class JumpDestinations
{
    /// <summary>The bitmap of valid jump targets in <paramref name="code"/>.</summary>
    public static byte[] Analyse(ReadOnlySpan<byte> code)
    {
        byte[] map = new byte[(code.Length + 8) / 8];
        for (int i = 0; i < code.Length; i++)
        {
            byte op = code[i];
            if (op == 0x5B)
            {
                map[i >> 3] |= (byte)(1 << (i & 7));
            }
            else if (op >= 0x60 && op <= 0x7F)
            {
                i += op - 0x5F;
            }
        }

        return map;
    }

    /// <summary>True if <paramref name="pc"/> is a valid jump target.</summary>
    public static bool IsValid(byte[] map, int codeLength, in UInt256 target) =>
        target.FitsInUInt64 && target.U0 < (ulong)codeLength && (map[(int)(target.U0 >> 3)] & (1 << (int)(target.U0 & 7))) != 0;
}
