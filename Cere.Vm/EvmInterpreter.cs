using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;
using Cere.Storage.State;
using Cere.Vm.Native;

namespace Cere.Vm;

/// <summary>
/// The Cancun EVM interpreter for one transaction: a switch over opcodes with a constant-gas and stack-height
/// table checked before each, stack on a pooled span, halts as return values.
/// </summary>
/// <remarks>
/// Sub-calls recurse on the CLR stack (bounded at 1024 frames); run transactions on a thread with a large stack
/// (<see cref="EvmThread"/>).
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

    [SkipLocalsInit]
    private CallResult Run<TTracing>(EvmFrame f)
        where TTracing : struct, ITracing
    {
        UInt256[] stackArray = ArrayPool<UInt256>.Shared.Rent(StackLimit);
        try
        {
            return Loop<TTracing>(f, stackArray);
        }
        finally
        {
            ArrayPool<UInt256>.Shared.Return(stackArray);
            f.Memory.Release();
        }
    }

    private CallResult Halt(EvmStatus status) => new(status, 0, []);

    private CallResult Loop<TTracing>(EvmFrame f, UInt256[] stackArray)
        where TTracing : struct, ITracing
    {
        byte[] code = f.Code;
        ref UInt256 s = ref MemoryMarshal.GetArrayDataReference(stackArray);
        int sp = 0;
        long gas = f.Gas;
        int pc = 0;
        EvmMemory mem = f.Memory;
        long[] gasTable = OpcodeTable.Gas;
        int[] inTable = OpcodeTable.In;
        int[] growth = OpcodeTable.Growth;
        bool[] defined = OpcodeTable.Defined;

        while (true)
        {
            byte op = pc < code.Length ? code[pc] : (byte)0x00;
            if (typeof(TTracing) == typeof(TracingOn))
            {
                _tracer!.OnOpcode(pc, op, gas, f.Depth, stackArray.AsSpan(0, sp));
            }

            if (!defined[op])
            {
                return Halt(EvmStatus.InvalidOpcode);
            }

            if (sp < inTable[op])
            {
                return Halt(EvmStatus.StackUnderflow);
            }

            if (sp + growth[op] > StackLimit)
            {
                return Halt(EvmStatus.StackOverflow);
            }

            gas -= gasTable[op];
            if (gas < 0)
            {
                return Halt(EvmStatus.OutOfGas);
            }

            pc++;
            switch (op)
            {
                case 0x00:
                    return new CallResult(EvmStatus.Success, gas, []);
                case 0x01:
                    UInt256.Add(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x02:
                    UInt256.Multiply(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x03:
                    UInt256.Subtract(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x04:
                    UInt256.Divide(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x05:
                    UInt256.SignedDivide(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x06:
                    UInt256.Mod(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x07:
                    UInt256.SignedMod(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x08:
                    UInt256.AddMod(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 3), out Unsafe.Add(ref s, sp - 3));
                    sp -= 2;
                    break;
                case 0x09:
                    UInt256.MulMod(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 3), out Unsafe.Add(ref s, sp - 3));
                    sp -= 2;
                    break;
                case 0x0A:
                {
                    ref UInt256 e = ref Unsafe.Add(ref s, sp - 2);
                    gas -= GasCosts.ExpByte * e.ByteLength; // EIP-160
                    if (gas < 0)
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    UInt256.Exp(Unsafe.Add(ref s, sp - 1), e, out UInt256 r);
                    e = r;
                    sp--;
                    break;
                }

                case 0x0B:
                    UInt256.SignExtend(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x10:
                    Unsafe.Add(ref s, sp - 2) = UInt256.LessThan(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2)) ? UInt256.One : UInt256.Zero;
                    sp--;
                    break;
                case 0x11:
                    Unsafe.Add(ref s, sp - 2) = UInt256.LessThan(Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 1)) ? UInt256.One : UInt256.Zero;
                    sp--;
                    break;
                case 0x12:
                    Unsafe.Add(ref s, sp - 2) = UInt256.SignedLessThan(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2)) ? UInt256.One : UInt256.Zero;
                    sp--;
                    break;
                case 0x13:
                    Unsafe.Add(ref s, sp - 2) = UInt256.SignedLessThan(Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 1)) ? UInt256.One : UInt256.Zero;
                    sp--;
                    break;
                case 0x14:
                    Unsafe.Add(ref s, sp - 2) = Unsafe.Add(ref s, sp - 1).Equals(Unsafe.Add(ref s, sp - 2)) ? UInt256.One : UInt256.Zero;
                    sp--;
                    break;
                case 0x15:
                    Unsafe.Add(ref s, sp - 1) = Unsafe.Add(ref s, sp - 1).IsZero ? UInt256.One : UInt256.Zero;
                    break;
                case 0x16:
                    UInt256.And(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x17:
                    UInt256.Or(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x18:
                    UInt256.Xor(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x19:
                    UInt256.Not(Unsafe.Add(ref s, sp - 1), out Unsafe.Add(ref s, sp - 1));
                    break;
                case 0x1A:
                    UInt256.Byte(Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x1B:
                    UInt256.LeftShift(Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 1), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x1C:
                    UInt256.RightShift(Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 1), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x1D:
                    UInt256.ArithmeticRightShift(Unsafe.Add(ref s, sp - 2), Unsafe.Add(ref s, sp - 1), out Unsafe.Add(ref s, sp - 2));
                    sp--;
                    break;
                case 0x20:
                {
                    ref UInt256 off = ref Unsafe.Add(ref s, sp - 1);
                    ref UInt256 len = ref Unsafe.Add(ref s, sp - 2);
                    if (!mem.Expand(ref gas, off, len) || !ChargeWords(ref gas, len, GasCosts.KeccakWord))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    Span<byte> h = stackalloc byte[32];
                    Keccak256.Hash(len.IsZero ? [] : mem.Slice(off.U0, len.U0), h);
                    len = new UInt256(h);
                    sp--;
                    break;
                }

                case 0x30:
                    Unsafe.Add(ref s, sp++) = FromAddress(f.Address);
                    break;
                case 0x31:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    Address addr = ToAddress(a);
                    if (!ChargeAccountAccess(ref gas, addr))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    a = _state.GetBalance(addr);
                    break;
                }

                case 0x32:
                    Unsafe.Add(ref s, sp++) = FromAddress(_origin);
                    break;
                case 0x33:
                    Unsafe.Add(ref s, sp++) = FromAddress(f.Caller);
                    break;
                case 0x34:
                    Unsafe.Add(ref s, sp++) = f.Value;
                    break;
                case 0x35:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    Span<byte> word = stackalloc byte[32];
                    word.Clear();
                    if (a.FitsInUInt64 && a.U0 < (ulong)f.Input.Length)
                    {
                        int start = (int)a.U0;
                        f.Input.AsSpan(start, Math.Min(32, f.Input.Length - start)).CopyTo(word);
                    }

                    a = new UInt256(word);
                    break;
                }

                case 0x36:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)f.Input.Length);
                    break;
                case 0x37:
                case 0x39:
                {
                    UInt256 memOff = Unsafe.Add(ref s, sp - 1);
                    UInt256 srcOff = Unsafe.Add(ref s, sp - 2);
                    UInt256 len = Unsafe.Add(ref s, sp - 3);
                    sp -= 3;
                    if (!mem.Expand(ref gas, memOff, len) || !ChargeWords(ref gas, len, GasCosts.CopyWord))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    CopyPadded(mem, memOff, len, op == 0x37 ? f.Input : code, srcOff);
                    break;
                }

                case 0x38:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)code.Length);
                    break;
                case 0x3A:
                    Unsafe.Add(ref s, sp++) = _gasPrice;
                    break;
                case 0x3B:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    Address addr = ToAddress(a);
                    if (!ChargeAccountAccess(ref gas, addr))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    a = new UInt256((ulong)_state.GetCode(addr).Length);
                    break;
                }

                case 0x3C:
                {
                    Address addr = ToAddress(Unsafe.Add(ref s, sp - 1));
                    UInt256 memOff = Unsafe.Add(ref s, sp - 2);
                    UInt256 srcOff = Unsafe.Add(ref s, sp - 3);
                    UInt256 len = Unsafe.Add(ref s, sp - 4);
                    sp -= 4;
                    if (!mem.Expand(ref gas, memOff, len) || !ChargeWords(ref gas, len, GasCosts.CopyWord) || !ChargeAccountAccess(ref gas, addr))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    CopyPadded(mem, memOff, len, _state.GetCode(addr), srcOff);
                    break;
                }

                case 0x3D:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)f.ReturnData.Length);
                    break;
                case 0x3E:
                {
                    UInt256 memOff = Unsafe.Add(ref s, sp - 1);
                    UInt256 srcOff = Unsafe.Add(ref s, sp - 2);
                    UInt256 len = Unsafe.Add(ref s, sp - 3);
                    sp -= 3;

                    // EIP-211: reading past the end of the return data is an exceptional halt.
                    if (!srcOff.FitsInUInt64 || !len.FitsInUInt64 || srcOff.U0 + len.U0 < srcOff.U0 || srcOff.U0 + len.U0 > (ulong)f.ReturnData.Length)
                    {
                        return Halt(EvmStatus.ReturnDataOutOfBounds);
                    }

                    if (!mem.Expand(ref gas, memOff, len) || !ChargeWords(ref gas, len, GasCosts.CopyWord))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    CopyPadded(mem, memOff, len, f.ReturnData, srcOff);
                    break;
                }

                case 0x3F:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    Address addr = ToAddress(a);
                    if (!ChargeAccountAccess(ref gas, addr))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    // EIP-1052 + EIP-161: zero for a non-existent or empty account.
                    a = _state.IsEmpty(addr) ? UInt256.Zero : new UInt256(_state.GetCodeHash(addr).Bytes);
                    break;
                }

                case 0x40:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    long current = _block.Number;
                    if (a.FitsInUInt64 && a.U0 < (ulong)current && (ulong)current - a.U0 <= 256 && _block.BlockHashes is not null)
                    {
                        a = new UInt256(_block.BlockHashes((long)a.U0).Bytes);
                    }
                    else
                    {
                        a = UInt256.Zero;
                    }

                    break;
                }

                case 0x41:
                    Unsafe.Add(ref s, sp++) = FromAddress(_block.Coinbase);
                    break;
                case 0x42:
                    Unsafe.Add(ref s, sp++) = new UInt256(_block.Timestamp);
                    break;
                case 0x43:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)_block.Number);
                    break;
                case 0x44:
                    Unsafe.Add(ref s, sp++) = new UInt256(_block.PrevRandao.Bytes);
                    break;
                case 0x45:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)_block.GasLimit);
                    break;
                case 0x46:
                    Unsafe.Add(ref s, sp++) = new UInt256(_block.ChainId);
                    break;
                case 0x47:
                    Unsafe.Add(ref s, sp++) = _state.GetBalance(f.Address);
                    break;
                case 0x48:
                    Unsafe.Add(ref s, sp++) = _block.BaseFee;
                    break;
                case 0x49:
                    // EIP-4844 BLOBHASH: this chain carries no blob transactions, so every index is out of range.
                    Unsafe.Add(ref s, sp - 1) = UInt256.Zero;
                    break;
                case 0x4A:
                    Unsafe.Add(ref s, sp++) = _block.BlobBaseFee;
                    break;
                case 0x50:
                    sp--;
                    break;
                case 0x51:
                {
                    ref UInt256 a = ref Unsafe.Add(ref s, sp - 1);
                    if (!mem.Expand(ref gas, a, 32))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    a = new UInt256(mem.Slice(a.U0, 32));
                    break;
                }

                case 0x52:
                {
                    UInt256 off = Unsafe.Add(ref s, sp - 1);
                    if (!mem.Expand(ref gas, off, 32))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    Unsafe.Add(ref s, sp - 2).WriteBigEndian(mem.Slice(off.U0, 32));
                    sp -= 2;
                    break;
                }

                case 0x53:
                {
                    UInt256 off = Unsafe.Add(ref s, sp - 1);
                    if (!mem.Expand(ref gas, off, 1))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    mem.Slice(off.U0, 1)[0] = (byte)Unsafe.Add(ref s, sp - 2).U0;
                    sp -= 2;
                    break;
                }

                case 0x54:
                {
                    ref UInt256 slot = ref Unsafe.Add(ref s, sp - 1);
                    gas -= _sub.WarmSlot(f.Address, slot) ? GasCosts.ColdSload : GasCosts.WarmAccess;
                    if (gas < 0)
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    slot = _state.GetStorage(f.Address, slot);
                    break;
                }

                case 0x55:
                {
                    if (f.IsStatic)
                    {
                        return Halt(EvmStatus.StaticStateChange);
                    }

                    UInt256 slot = Unsafe.Add(ref s, sp - 1);
                    UInt256 value = Unsafe.Add(ref s, sp - 2);
                    sp -= 2;
                    EvmStatus st = SStore(f.Address, slot, value, ref gas);
                    if (st != EvmStatus.Success)
                    {
                        return Halt(st);
                    }

                    break;
                }

                case 0x56:
                {
                    if (!JumpDestinations.IsValid(f.JumpMap, code.Length, Unsafe.Add(ref s, sp - 1)))
                    {
                        return Halt(EvmStatus.BadJumpDestination);
                    }

                    pc = (int)Unsafe.Add(ref s, sp - 1).U0;
                    sp--;
                    break;
                }

                case 0x57:
                {
                    if (!Unsafe.Add(ref s, sp - 2).IsZero)
                    {
                        if (!JumpDestinations.IsValid(f.JumpMap, code.Length, Unsafe.Add(ref s, sp - 1)))
                        {
                            return Halt(EvmStatus.BadJumpDestination);
                        }

                        pc = (int)Unsafe.Add(ref s, sp - 1).U0;
                    }

                    sp -= 2;
                    break;
                }

                case 0x58:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)(pc - 1));
                    break;
                case 0x59:
                    Unsafe.Add(ref s, sp++) = new UInt256(mem.Size);
                    break;
                case 0x5A:
                    Unsafe.Add(ref s, sp++) = new UInt256((ulong)gas);
                    break;
                case 0x5B:
                    break;
                case 0x5C:
                    Unsafe.Add(ref s, sp - 1) = _state.GetTransientStorage(f.Address, Unsafe.Add(ref s, sp - 1));
                    break;
                case 0x5D:
                    if (f.IsStatic)
                    {
                        return Halt(EvmStatus.StaticStateChange);
                    }

                    _state.SetTransientStorage(f.Address, Unsafe.Add(ref s, sp - 1), Unsafe.Add(ref s, sp - 2));
                    sp -= 2;
                    break;
                case 0x5E:
                {
                    // EIP-5656 MCOPY: memory covers the larger of the two ranges.
                    UInt256 dst = Unsafe.Add(ref s, sp - 1);
                    UInt256 src = Unsafe.Add(ref s, sp - 2);
                    UInt256 len = Unsafe.Add(ref s, sp - 3);
                    sp -= 3;
                    if (!mem.Expand(ref gas, dst, len) || !mem.Expand(ref gas, src, len) || !ChargeWords(ref gas, len, GasCosts.CopyWord))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    if (!len.IsZero)
                    {
                        mem.Slice(src.U0, len.U0).CopyTo(mem.Slice(dst.U0, len.U0));
                    }

                    break;
                }

                case 0x5F:
                    Unsafe.Add(ref s, sp++) = UInt256.Zero;
                    break;
                case >= 0x60 and <= 0x7F:
                {
                    int n = op - 0x5F;
                    int avail = Math.Max(0, Math.Min(n, code.Length - pc));
                    if (avail == n)
                    {
                        Unsafe.Add(ref s, sp++) = new UInt256(code.AsSpan(pc, n));
                    }
                    else
                    {
                        // PUSH data running past the end of the code reads as zero bytes on the right.
                        Span<byte> padded = stackalloc byte[32];
                        padded.Clear();
                        code.AsSpan(pc, avail).CopyTo(padded[(32 - n)..]);
                        Unsafe.Add(ref s, sp++) = new UInt256(padded);
                    }

                    pc += n;
                    break;
                }

                case >= 0x80 and <= 0x8F:
                    Unsafe.Add(ref s, sp) = Unsafe.Add(ref s, sp - (op - 0x7F));
                    sp++;
                    break;
                case >= 0x90 and <= 0x9F:
                {
                    ref UInt256 top = ref Unsafe.Add(ref s, sp - 1);
                    ref UInt256 other = ref Unsafe.Add(ref s, sp - 2 - (op - 0x90));
                    (top, other) = (other, top);
                    break;
                }

                case >= 0xA0 and <= 0xA4:
                {
                    if (f.IsStatic)
                    {
                        return Halt(EvmStatus.StaticStateChange);
                    }

                    int topics = op - 0xA0;
                    UInt256 off = Unsafe.Add(ref s, sp - 1);
                    UInt256 len = Unsafe.Add(ref s, sp - 2);
                    if (!mem.Expand(ref gas, off, len))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    gas -= GasCosts.LogData * (long)len.U0;
                    if (gas < 0)
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    Hash256[] t = topics == 0 ? [] : new Hash256[topics];
                    Span<byte> buf = stackalloc byte[32];
                    for (int i = 0; i < topics; i++)
                    {
                        Unsafe.Add(ref s, sp - 3 - i).WriteBigEndian(buf);
                        t[i] = new Hash256(buf);
                    }

                    sp -= 2 + topics;
                    _sub.Logs.Add(new LogEntry(f.Address, t, len.IsZero ? [] : mem.Slice(off.U0, len.U0).ToArray()));
                    break;
                }

                case 0xF0:
                case 0xF5:
                {
                    f.Gas = gas;
                    EvmStatus st = OpCreate(f, ref s, ref sp, op == 0xF5);
                    gas = f.Gas;
                    if (st != EvmStatus.Success)
                    {
                        return Halt(st);
                    }

                    break;
                }

                case 0xF1:
                case 0xF2:
                case 0xF4:
                case 0xFA:
                {
                    f.Gas = gas;
                    EvmStatus st = OpCall(f, ref s, ref sp, op);
                    gas = f.Gas;
                    if (st != EvmStatus.Success)
                    {
                        return Halt(st);
                    }

                    break;
                }

                case 0xF3:
                case 0xFD:
                {
                    UInt256 off = Unsafe.Add(ref s, sp - 1);
                    UInt256 len = Unsafe.Add(ref s, sp - 2);
                    if (!mem.Expand(ref gas, off, len))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    byte[] output = len.IsZero ? [] : mem.Slice(off.U0, len.U0).ToArray();
                    return new CallResult(op == 0xF3 ? EvmStatus.Success : EvmStatus.Revert, gas, output);
                }

                case 0xFF:
                {
                    if (f.IsStatic)
                    {
                        return Halt(EvmStatus.StaticStateChange);
                    }

                    Address beneficiary = ToAddress(Unsafe.Add(ref s, sp - 1));
                    if (!SelfDestruct(f.Address, beneficiary, ref gas))
                    {
                        return Halt(EvmStatus.OutOfGas);
                    }

                    return new CallResult(EvmStatus.Success, gas, []);
                }

                default:
                    return Halt(EvmStatus.InvalidOpcode);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeWords(ref long gas, in UInt256 len, long perWord)
    {
        // The length was already bounded by the memory expansion that precedes every call of this.
        gas -= perWord * (long)((len.U0 + 31) / 32);
        return gas >= 0;
    }

    private bool ChargeAccountAccess(ref long gas, in Address addr)
    {
        // EIP-2929: the first access to an account in the transaction is cold.
        gas -= _sub.WarmAccount(addr) ? GasCosts.ColdAccountAccess : GasCosts.WarmAccess;
        return gas >= 0;
    }

    private static void CopyPadded(EvmMemory mem, in UInt256 memOff, in UInt256 len, byte[] source, in UInt256 srcOff)
    {
        if (len.IsZero)
        {
            return;
        }

        ReadOnlySpan<byte> src = srcOff.FitsInUInt64 && srcOff.U0 < (ulong)source.Length ? source.AsSpan((int)srcOff.U0) : [];
        mem.WritePadded(memOff.U0, len.U0, src);
    }

    internal static Address ToAddress(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteBigEndian(b);
        return new Address(b[12..]);
    }

    internal static UInt256 FromAddress(in Address a) => new(a.Bytes);

    private EvmStatus SStore(in Address addr, in UInt256 slot, in UInt256 value, ref long gas)
    {
        // EIP-2200: SSTORE needs more than the call stipend left.
        if (gas <= GasCosts.SstoreSentry)
        {
            return EvmStatus.OutOfGas;
        }

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
            return EvmStatus.OutOfGas;
        }

        _state.SetStorage(addr, slot, value);
        _tracer?.OnStorageChange(addr, slot, value);
        return EvmStatus.Success;
    }

    private bool SelfDestruct(in Address self, in Address beneficiary, ref long gas)
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
            return false;
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

        return true;
    }
}
