using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Storage.State;
using Cere.Vm.Interpreter;
using Cere.Vm.Native;

namespace Cere.Vm;

/// <summary>
/// The Cancun EVM interpreter for one transaction: a switch over opcodes on analysed, zero-padded code, the stack as
/// a pooled array worked on in place through references, halts as return values.
/// </summary>
/// <remarks>
/// Untraced, static gas and stack bounds are checked once per basic block (<see cref="BlockCosts"/>); with an
/// <see cref="ITxTracer"/> attached a separate instantiation of the loop checks them opcode by opcode, so the tracer
/// sees exact gas before each opcode. Sub-calls recurse on the CLR stack (bounded at 1024 frames); run transactions
/// on a thread with a large stack (<see cref="EvmThread"/>).
/// </remarks>
internal sealed partial class EvmInterpreter
{
    private const int StackLimit = 1024;

    private readonly IWorldState _state;
    private readonly BlockEnvironment _block;
    private readonly TxSubstate _sub;
    private readonly Address _origin;
    private readonly UInt256 _gasPrice;
    private readonly ITxTracer? _tracer;
    private readonly NativeModuleRegistry? _natives;

    public EvmInterpreter(IWorldState state, BlockEnvironment block, TxSubstate sub, Address origin, UInt256 gasPrice, ITxTracer? tracer, NativeModuleRegistry? natives)
    {
        _state = state;
        _block = block;
        _sub = sub;
        _origin = origin;
        _gasPrice = gasPrice;
        _tracer = tracer;
        _natives = natives;
    }

    private interface ITracing;

    private struct TracingOff : ITracing;

    private struct TracingOn : ITracing;

    private CallResult RunFrame(EvmFrame f) => _tracer is null ? Run<TracingOff>(f) : Run<TracingOn>(f);

    private unsafe CallResult Run<TTracing>(EvmFrame f)
        where TTracing : struct, ITracing
    {
        UInt256[] stackArray = ArrayPool<UInt256>.Shared.Rent(StackLimit);
        try
        {
            // Pinned for the loop's raw pointers (see the remarks on Loop); both arrays outlive the call.
            fixed (UInt256* stack = stackArray)
            fixed (byte* padded = typeof(TTracing) == typeof(TracingOn) ? f.Code.Padded : f.Code.Fused)
            fixed (long* blocks = f.Code.Blocks)
            {
                f.StackBase = stack;
                f.CodeStart = padded + CodeInfo.FrontPadding;
                f.Blocks = blocks;

                // The loop returns only a status (no struct return buffer to keep in a register); gas and output are on the frame.
                EvmStatus status = Loop<TTracing>(f);
                return status is EvmStatus.Success or EvmStatus.Revert ? new CallResult(status, f.Gas, f.Output) : Halt(status);
            }
        }
        finally
        {
            ArrayPool<UInt256>.Shared.Return(stackArray);
            f.Memory.Release();
        }
    }

    private static CallResult Halt(EvmStatus status) => new(status, 0, []);

    // Why the stack and code are reached through raw pointers without bounds checks (the unsafe parts of the loop):
    // - stack: the pinned array has at least 1024 items and sp starts at its first; untraced, the entry check of each
    //   block proves that no instruction in it takes more items than are present or grows the stack past 1024
    //   (BlockCosts); traced, the same bounds are checked before every opcode. Handlers that push or pop a dynamic
    //   number of items do not exist.
    // - code: CodeInfo pads 32 zero bytes before and 33 after the code; ip never goes past the code end + 32
    //   (a PUSH32 overrunning the end), so opcode reads and PUSH reads stay inside the pinned padded array. Jumps
    //   set ip only to a validated JUMPDEST, which is inside the code.
    // - blocks: entries exist for every position up to the code length; blocks are entered only at 0, at a valid
    //   JUMPDEST, or right after a block-ending instruction that is not itself PUSH data, all at most the length.
    // The hot state is three pointers-or-counters (ip, sp, gas) plus this and f, so the register allocator can keep
    // all of it in callee-saved registers across the out-of-line handlers instead of spilling around each call.
    // Straight to fully optimised code: the loop is hot from its first call, and a tier-0 or OSR body of it is
    // several times slower.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe EvmStatus Loop<TTracing>(EvmFrame f)
        where TTracing : struct, ITracing
    {
        UInt256* sp = f.StackBase;
        long gas = f.Gas;
        byte* ip = f.CodeStart;

        if (typeof(TTracing) == typeof(TracingOff))
        {
            // The stack is empty here.
            long entry = *f.Blocks;
            gas -= entry & BlockCosts.GasMask;
            if (gas < 0 || !BlockFits(entry, 0))
            {
                return BlockFailure(entry, 0);
            }
        }

        while (true)
        {
            byte op = *ip;
            if (typeof(TTracing) == typeof(TracingOn))
            {
                int height = (int)(sp - f.StackBase);
                _tracer!.OnOpcode((int)(ip - f.CodeStart), op, gas, f.Depth, new ReadOnlySpan<UInt256>(f.StackBase, height));
                if (!OpcodeTable.Defined[op])
                {
                    return EvmStatus.InvalidOpcode;
                }

                if (height < OpcodeTable.In[op])
                {
                    return EvmStatus.StackUnderflow;
                }

                if (height + OpcodeTable.Growth[op] > StackLimit)
                {
                    return EvmStatus.StackOverflow;
                }

                gas -= OpcodeTable.Gas[op];
                if (gas < 0)
                {
                    return EvmStatus.OutOfGas;
                }
            }

            ip++;
            switch (op)
            {
                case 0x00:
                    f.Gas = gas;
                    return EvmStatus.Success;
                case 0x01:
                    InlineArithmetic.Add((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x02:
                    StackArithmetic.Mul(ref sp[-1]);
                    sp--;
                    break;
                case 0x03:
                    InlineArithmetic.Sub((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x04:
                    StackArithmetic.Div(ref sp[-1]);
                    sp--;
                    break;
                case 0x05:
                    StackArithmetic.SDiv(ref sp[-1]);
                    sp--;
                    break;
                case 0x06:
                    StackArithmetic.Mod(ref sp[-1]);
                    sp--;
                    break;
                case 0x07:
                    StackArithmetic.SMod(ref sp[-1]);
                    sp--;
                    break;
                case 0x08:
                    StackArithmetic.AddMod(ref sp[-1]);
                    sp -= 2;
                    break;
                case 0x09:
                    StackArithmetic.MulMod(ref sp[-1]);
                    sp -= 2;
                    break;
                case 0x0A:
                    gas = StackArithmetic.Exp(ref sp[-1], gas);
                    if (gas < 0)
                    {
                        return EvmStatus.OutOfGas;
                    }

                    sp--;
                    break;
                case 0x0B:
                    StackArithmetic.SignExtend(ref sp[-1]);
                    sp--;
                    break;
                case 0x10:
                    InlineArithmetic.Less((ulong*)(sp - 1), false);
                    sp--;
                    break;
                case 0x11:
                    InlineArithmetic.Less((ulong*)(sp - 1), true);
                    sp--;
                    break;
                case 0x12:
                    StackArithmetic.Slt(ref sp[-1]);
                    sp--;
                    break;
                case 0x13:
                    StackArithmetic.Sgt(ref sp[-1]);
                    sp--;
                    break;
                case 0x14:
                    InlineArithmetic.Eq((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x15:
                    InlineArithmetic.IsZero((ulong*)(sp - 1));
                    break;
                case 0x16:
                    InlineArithmetic.And((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x17:
                    InlineArithmetic.Or((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x18:
                    InlineArithmetic.Xor((ulong*)(sp - 1));
                    sp--;
                    break;
                case 0x19:
                    InlineArithmetic.Not((ulong*)(sp - 1));
                    break;
                case 0x1A:
                    StackArithmetic.Byte(ref sp[-1]);
                    sp--;
                    break;
                case 0x1B:
                    StackArithmetic.Shl(ref sp[-1]);
                    sp--;
                    break;
                case 0x1C:
                    if (!InlineArithmetic.ShrSmall((ulong*)(sp - 1)))
                    {
                        StackArithmetic.Shr(ref sp[-1]);
                    }

                    sp--;
                    break;
                case 0x1D:
                    StackArithmetic.Sar(ref sp[-1]);
                    sp--;
                    break;
                case 0x20:
                {
                    f.Gas = gas;
                    sp--;
                    EvmStatus st = Keccak(f, ref *sp);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case 0x30:
                case 0x32:
                case 0x33:
                case 0x38:
                case 0x3A:
                case 0x3D:
                case 0x41:
                case 0x42:
                case 0x43:
                case 0x44:
                case 0x45:
                case 0x46:
                case 0x47:
                case 0x48:
                case 0x4A:
                case 0x59:
                    *sp = Environment(f, op);
                    sp++;
                    break;
                case 0x31:
                case 0x3B:
                case 0x3F:
                {
                    f.Gas = gas;
                    EvmStatus st = AccountQuery(f, ref sp[-1], op);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case 0x34:
                    *sp = f.Value;
                    sp++;
                    break;
                case 0x35:
                    CallDataLoad(f.Input, ref sp[-1]);
                    break;
                case 0x36:
                    *sp = new UInt256((ulong)f.Input.Length);
                    sp++;
                    break;
                case 0x37:
                case 0x39:
                case 0x3C:
                case 0x3E:
                case 0x5E:
                {
                    // Nothing but the loop state is live across the call (see the remarks on Loop): pop first.
                    UInt256* top = sp - 1;
                    sp -= op == 0x3C ? 4 : 3;
                    f.Gas = gas;
                    EvmStatus st = Copy(f, ref *top, op);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case 0x40:
                    BlockHash(ref sp[-1]);
                    break;
                case 0x49:
                    // EIP-4844 BLOBHASH: this chain carries no blob transactions, so every index is out of range.
                    sp[-1] = default;
                    break;
                case 0x50:
                    sp--;
                    break;
                case 0x51:
                {
                    ref UInt256 a = ref sp[-1];
                    if (!f.Memory.Covers(a, 32))
                    {
                        gas = ExpandWord(f.Memory, a, gas, 32);
                        if (gas < 0)
                        {
                            return EvmStatus.OutOfGas;
                        }
                    }

                    a = f.Memory.ReadWord(a.U0);
                    break;
                }

                case 0x52:
                {
                    ref UInt256 off = ref sp[-1];
                    if (!f.Memory.Covers(off, 32))
                    {
                        gas = ExpandWord(f.Memory, off, gas, 32);
                        if (gas < 0)
                        {
                            return EvmStatus.OutOfGas;
                        }
                    }

                    f.Memory.WriteWord(off.U0, sp[-2]);
                    sp -= 2;
                    break;
                }

                case 0x53:
                {
                    f.Gas = gas;
                    sp -= 2;
                    EvmStatus st = MStore8(f, ref sp[1]);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case 0x54:
                {
                    f.Gas = gas;
                    EvmStatus st = SLoad(f, ref sp[-1]);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case 0x55:
                {
                    f.Gas = gas;
                    sp -= 2;
                    EvmStatus st = SStoreOp(f, ref sp[1]);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        long entry = f.Blocks[ip - f.CodeStart];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                }

                case 0x56:
                {
                    ref UInt256 target = ref sp[-1];
                    if (!f.Code.IsJumpDestination(target))
                    {
                        return EvmStatus.BadJumpDestination;
                    }

                    nint to = (nint)target.U0;
                    ip = f.CodeStart + to;
                    sp--;
                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        // Untraced, the JUMPDEST itself is skipped: it does nothing, and its gas is in the block's.
                        ip++;
                        long entry = f.Blocks[to];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                }

                case 0x57:
                {
                    sp -= 2;
                    nint to = (nint)(ip - f.CodeStart);
                    if (!sp->IsZero)
                    {
                        ref UInt256 target = ref sp[1];
                        if (!f.Code.IsJumpDestination(target))
                        {
                            return EvmStatus.BadJumpDestination;
                        }

                        to = (nint)target.U0;
                        ip = f.CodeStart + to;
                        if (typeof(TTracing) == typeof(TracingOff))
                        {
                            ip++; // the JUMPDEST, as in JUMP
                        }
                    }

                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        long entry = f.Blocks[to];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                }

                case 0x58:
                    *sp = new UInt256((ulong)(ip - 1 - f.CodeStart));
                    sp++;
                    break;
                case 0x5A:
                    *sp = new UInt256((ulong)gas);
                    sp++;
                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        long entry = f.Blocks[ip - f.CodeStart];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                case 0x5B:
                    break;
                case 0x5C:
                    TLoad(f, ref sp[-1]);
                    break;
                case 0x5D:
                {
                    sp -= 2;
                    EvmStatus st = TStore(f, ref sp[1]);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    break;
                }

                case 0x5F:
                    *sp = default;
                    sp++;
                    break;
                case 0x60:
                    *sp = new UInt256(*ip);
                    sp++;
                    ip++;
                    break;
                case 0x61:
                    *sp = new UInt256(BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref *ip)));
                    sp++;
                    ip += 2;
                    break;
                case 0x62:
                case 0x63:
                case 0x64:
                case 0x65:
                case 0x66:
                case 0x67:
                {
                    int n = op - 0x5F;
                    *sp = new UInt256(ReadBigEndian64(ref *ip, 0) >> (64 - (8 * n)));
                    sp++;
                    ip += n;
                    break;
                }

                case 0x68:
                case 0x69:
                case 0x6A:
                case 0x6B:
                case 0x6C:
                case 0x6D:
                case 0x6E:
                case 0x6F:
                case 0x70:
                case 0x71:
                case 0x72:
                case 0x73:
                case 0x74:
                case 0x75:
                case 0x76:
                case 0x77:
                case 0x78:
                case 0x79:
                case 0x7A:
                case 0x7B:
                case 0x7C:
                case 0x7D:
                case 0x7E:
                {
                    int n = op - 0x5F;
                    byte* data = ip;
                    ip += n;
                    sp++;
                    PushWide(ref *data, n, ref sp[-1]);
                    break;
                }

                case 0x7F:
                    *sp = new UInt256(
                        ReadBigEndian64(ref *ip, 24),
                        ReadBigEndian64(ref *ip, 16),
                        ReadBigEndian64(ref *ip, 8),
                        ReadBigEndian64(ref *ip, 0));
                    sp++;
                    ip += 32;
                    break;
                case 0x80:
                case 0x81:
                case 0x82:
                case 0x83:
                case 0x84:
                case 0x85:
                case 0x86:
                case 0x87:
                case 0x88:
                case 0x89:
                case 0x8A:
                case 0x8B:
                case 0x8C:
                case 0x8D:
                case 0x8E:
                case 0x8F:
                    // Word by word on purpose: the handlers write items as four 64-bit stores, and a 256-bit vector
                    // load of an item just written that way cannot be forwarded from the store buffer (it stalls).
                    CopyWords((ulong*)sp, (ulong*)(sp + (0x7F - op)));
                    sp++;
                    break;
                case 0x90:
                case 0x91:
                case 0x92:
                case 0x93:
                case 0x94:
                case 0x95:
                case 0x96:
                case 0x97:
                case 0x98:
                case 0x99:
                case 0x9A:
                case 0x9B:
                case 0x9C:
                case 0x9D:
                case 0x9E:
                case 0x9F:
                    SwapWords((ulong*)(sp - 1), (ulong*)(sp + (0x8E - op)));
                    break;
                case 0xA0:
                case 0xA1:
                case 0xA2:
                case 0xA3:
                case 0xA4:
                {
                    int topics = op - 0xA0;
                    UInt256* top = sp - 1;
                    sp -= 2 + topics;
                    f.Gas = gas;
                    EvmStatus st = Log(f, ref *top, topics);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    break;
                }

                case FusedCode.Push2Jump:
                case FusedCode.Push1Jump:
                {
                    // Only in the untraced code (FusedCode): the target was checked when the code was analysed.
                    nint to = op == FusedCode.Push2Jump ? (ip[0] << 8) | ip[1] : ip[0];
                    ip = f.CodeStart + to + 1;
                    long entry = f.Blocks[to];
                    gas -= entry & BlockCosts.GasMask;
                    if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                    {
                        return BlockFailure(entry, Height(sp, f));
                    }

                    break;
                }

                case FusedCode.Push2JumpI:
                case FusedCode.Push1JumpI:
                {
                    sp--;
                    nint to;
                    if (!sp->IsZero)
                    {
                        to = op == FusedCode.Push2JumpI ? (ip[0] << 8) | ip[1] : ip[0];
                        ip = f.CodeStart + to + 1;
                    }
                    else
                    {
                        // Past the data and the JUMPI byte.
                        ip += op == FusedCode.Push2JumpI ? 3 : 2;
                        to = (nint)(ip - f.CodeStart);
                    }

                    long entry = f.Blocks[to];
                    gas -= entry & BlockCosts.GasMask;
                    if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                    {
                        return BlockFailure(entry, Height(sp, f));
                    }

                    break;
                }

                case FusedCode.IsZeroPush2JumpI:
                {
                    sp--;
                    nint to;
                    if (sp->IsZero)
                    {
                        to = (ip[1] << 8) | ip[2];
                        ip = f.CodeStart + to + 1;
                    }
                    else
                    {
                        // Past the PUSH2, its data and the JUMPI byte.
                        ip += 4;
                        to = (nint)(ip - f.CodeStart);
                    }

                    long entry = f.Blocks[to];
                    gas -= entry & BlockCosts.GasMask;
                    if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                    {
                        return BlockFailure(entry, Height(sp, f));
                    }

                    break;
                }

                case 0xF0:
                case 0xF5:
                {
                    f.Gas = gas;
                    bool isCreate2 = op == 0xF5;
                    UInt256* top = sp - 1;
                    sp -= isCreate2 ? 3 : 2;
                    EvmStatus st = OpCreate(f, ref *top, isCreate2);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        long entry = f.Blocks[ip - f.CodeStart];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                }

                case 0xF1:
                case 0xF2:
                case 0xF4:
                case 0xFA:
                {
                    UInt256* top = sp - 1;
                    sp -= op is 0xF1 or 0xF2 ? 6 : 5;
                    f.Gas = gas;
                    EvmStatus st = OpCall(f, ref *top, op);
                    if (st != EvmStatus.Success)
                    {
                        return st;
                    }

                    gas = f.Gas;
                    if (typeof(TTracing) == typeof(TracingOff))
                    {
                        long entry = f.Blocks[ip - f.CodeStart];
                        gas -= entry & BlockCosts.GasMask;
                        if (gas < 0 || !BlockFits(entry, Height(sp, f)))
                        {
                            return BlockFailure(entry, Height(sp, f));
                        }
                    }
                    break;
                }

                case 0xF3:
                    return Return(f, ref sp[-1], gas, EvmStatus.Success);
                case 0xFD:
                    return Return(f, ref sp[-1], gas, EvmStatus.Revert);
                case 0xFF:
                    return SelfDestructOp(f, ref sp[-1], gas);
                default:
                    return EvmStatus.InvalidOpcode;
            }
        }
    }

    /// <summary>Copies one stack item as four 64-bit words (see DUP in the loop for why not as one vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyWords(ulong* to, ulong* from)
    {
        ulong a = from[0], b = from[1], c = from[2], d = from[3];
        to[0] = a;
        to[1] = b;
        to[2] = c;
        to[3] = d;
    }

    /// <summary>Swaps two stack items as 64-bit words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SwapWords(ulong* x, ulong* y)
    {
        // Pair by pair: eight values live at once would not fit in the free scratch registers.
        (x[0], y[0]) = (y[0], x[0]);
        (x[1], y[1]) = (y[1], x[1]);
        (x[2], y[2]) = (y[2], x[2]);
        (x[3], y[3]) = (y[3], x[3]);
    }

    /// <summary>The stack height: items between the base and the next free slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int Height(UInt256* sp, EvmFrame f) => (int)((ulong)((byte*)sp - (byte*)f.StackBase) >> 5);

    /// <summary>True if a block whose packed entry is <paramref name="entry"/> can run at stack height <paramref name="height"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BlockFits(long entry, int height) =>
        height >= BlockCosts.Need(entry) && height + BlockCosts.Growth(entry) <= StackLimit;

    /// <summary>Why a block could not be entered: the stack check first, as opcode-by-opcode metering would find it.</summary>
    private static EvmStatus BlockFailure(long entry, int sp) =>
        sp < BlockCosts.Need(entry) ? EvmStatus.StackUnderflow
        : sp + BlockCosts.Growth(entry) > StackLimit ? EvmStatus.StackOverflow
        : EvmStatus.OutOfGas;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 Bool(bool value) => new(value ? 1UL : 0UL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBigEndian64(ref byte at, int offset) =>
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, offset)));

    /// <summary>A mask keeping the low <paramref name="bytes"/> bytes of a word (none for ≤ 0, all for ≥ 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong KeepLowBytes(int bytes) =>
        bytes <= 0 ? 0UL : bytes >= 8 ? ulong.MaxValue : (1UL << (bytes * 8)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ChargeWords(long gas, in UInt256 len, long perWord) =>
        // The length was already bounded by the memory expansion that precedes every call of this.
        gas - (perWord * (long)((len.U0 + 31) / 32));

    private long AccountAccessCost(in Address addr) =>
        // EIP-2929: the first access to an account in the transaction is cold.
        _sub.WarmAccount(addr) ? GasCosts.ColdAccountAccess : GasCosts.WarmAccess;

    private static void CopyPadded(EvmMemory mem, in UInt256 memOff, in UInt256 len, byte[] source, in UInt256 srcOff)
    {
        if (len.IsZero)
        {
            return;
        }

        ReadOnlySpan<byte> src = srcOff.FitsInUInt64 && srcOff.U0 < (ulong)source.Length ? source.AsSpan((int)srcOff.U0) : [];
        mem.WritePadded(memOff.U0, len.U0, src);
    }

    [SkipLocalsInit]
    internal static Address ToAddress(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteBigEndian(b);
        return new Address(b[12..]);
    }

    internal static UInt256 FromAddress(in Address a) => new(a.Bytes);

    /// <summary>SSTORE after the EIP-2200 sentry check: charges, records refunds and writes; returns the gas left.</summary>
    private long SStore(in Address addr, in UInt256 slot, in UInt256 value, long gas)
    {
        long cost = 0;
        if (_sub.WarmSlot(addr, slot))
        {
            cost += GasCosts.ColdSload; // EIP-2929
        }

        UInt256 current = _state.GetStorage(addr, slot);
        if (current == value)
        {
            cost += GasCosts.WarmAccess;
        }
        else
        {
            UInt256 original = _state.GetOriginalStorage(addr, slot);
            if (original == current)
            {
                if (original.IsZero)
                {
                    cost += GasCosts.SstoreSet;
                }
                else
                {
                    cost += GasCosts.SstoreReset;
                    if (value.IsZero)
                    {
                        _sub.Refund += GasCosts.SstoreClearsRefund; // EIP-3529
                    }
                }
            }
            else
            {
                cost += GasCosts.WarmAccess;
                if (!original.IsZero)
                {
                    if (current.IsZero)
                    {
                        _sub.Refund -= GasCosts.SstoreClearsRefund;
                    }
                    else if (value.IsZero)
                    {
                        _sub.Refund += GasCosts.SstoreClearsRefund;
                    }
                }

                if (original == value)
                {
                    _sub.Refund += original.IsZero ? GasCosts.SstoreSet - GasCosts.WarmAccess : GasCosts.SstoreReset - GasCosts.WarmAccess;
                }
            }
        }

        gas -= cost;
        if (gas < 0)
        {
            return gas;
        }

        _state.SetStorage(addr, slot, value);
        _tracer?.OnStorageChange(addr, slot, value);
        return gas;
    }

    /// <summary>SELFDESTRUCT: charges, moves the balance and (EIP-6780) marks a same-transaction account; returns the gas left.</summary>
    private long SelfDestruct(in Address self, in Address beneficiary, long gas)
    {
        if (_sub.WarmAccount(beneficiary))
        {
            gas -= GasCosts.ColdAccountAccess; // EIP-2929
        }

        UInt256 balance = _state.GetBalance(self);
        if (!balance.IsZero && _state.IsEmpty(beneficiary))
        {
            gas -= GasCosts.NewAccount;
        }

        if (gas < 0)
        {
            return gas;
        }

        // EIP-6780: the balance always moves; the account is only removed if it was created in this transaction.
        _state.SubtractBalance(self, balance);
        _state.AddBalance(beneficiary, balance);
        _state.Touch(beneficiary);
        if (_sub.WasCreated(self))
        {
            // As geth does, the destructed account's balance is gone at once (burnt even if it named itself).
            _state.SubtractBalance(self, _state.GetBalance(self));
            if (!_sub.Destructed.Contains(self))
            {
                _sub.Destructed.Add(self);
            }
        }

        return gas;
    }
}
