using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;

namespace Cere.Vm.Interpreter;

/// <summary>
/// Code prepared for the interpreter: zero-padded on both sides (PUSH data and opcodes past the end read as zero,
/// i.e. STOP, without a bounds check), the JUMPDEST bitmap, and the static cost of the basic block that starts at
/// every instruction. Deployed code is cached per code hash.
/// </summary>
internal sealed class CodeInfo
{
    /// <summary>Zero bytes before the code: a PUSH of n bytes reads the 32 bytes ending at its last data byte.</summary>
    public const int FrontPadding = 32;

    // Zero bytes after the code: a PUSH32 at the last byte reads 32 bytes past the end, then one more opcode (STOP).
    private const int BackPadding = 33;

    // Deployed-code analyses kept, counted in bytes of bitmaps and block tables (about 10 bytes per code byte).
    private const long MaxCachedBytes = 256L * 1024 * 1024;

    private static readonly ConcurrentDictionary<Hash256, CodeInfo> Cache = new();
    private static long _cachedBytes;

    private CodeInfo(byte[] code)
    {
        Code = code;
        Padded = new byte[FrontPadding + code.Length + BackPadding];
        code.CopyTo(Padded.AsSpan(FrontPadding));
        JumpMap = JumpDestinations.Analyse(code);
        Blocks = BlockCosts.Analyse(code);
        Fused = (byte[])Padded.Clone();
        FusedCode.Rewrite(Fused.AsSpan(FrontPadding, code.Length), JumpMap);
    }

    /// <summary>The code as given (CODECOPY, CODESIZE).</summary>
    public byte[] Code { get; }

    /// <summary>The code with <see cref="FrontPadding"/> zero bytes before and 33 after.</summary>
    public byte[] Padded { get; }

    /// <summary>The padded code with jump pairs fused, for the untraced loop (<see cref="FusedCode"/>).</summary>
    public byte[] Fused { get; }

    /// <summary>The JUMPDEST bitmap (<see cref="JumpDestinations"/>).</summary>
    public byte[] JumpMap { get; }

    /// <summary>Per instruction start, the packed static cost of the block from there (<see cref="BlockCosts"/>).</summary>
    public long[] Blocks { get; }

    /// <summary>A reference to the first code byte inside <see cref="Padded"/>.</summary>
    public ref byte CodeStart
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Padded), FrontPadding);
    }

    /// <summary>True if <paramref name="target"/> is a JUMPDEST outside PUSH data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsJumpDestination(in UInt256 target) => JumpDestinations.IsValid(JumpMap, Code.Length, target);

    /// <summary>The analysis of deployed code, cached by its hash.</summary>
    public static CodeInfo For(in Hash256 codeHash, byte[] code)
    {
        if (Cache.TryGetValue(codeHash, out CodeInfo? info))
        {
            return info;
        }

        info = new CodeInfo(code);
        long size = (2L * info.Padded.Length) + info.JumpMap.Length + (info.Blocks.Length * 8L);
        if (Interlocked.Read(ref _cachedBytes) + size <= MaxCachedBytes && Cache.TryAdd(codeHash, info))
        {
            Interlocked.Add(ref _cachedBytes, size);
        }

        return info;
    }

    /// <summary>Analyses code that has no stored hash (init code): not cached.</summary>
    public static CodeInfo Analyse(byte[] code) => new(code);
}
