using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Receipts;

namespace Cere.Vm;

/// <summary>
/// The opcodes the interpreter loop runs out of line: environment reads, memory copies, hashing, storage, logs and
/// halts. Each takes a reference to the top stack item and the frame (gas in <see cref="EvmFrame.Gas"/>), and leaves
/// its result where the loop expects it; the loop moves the stack pointer.
/// </summary>
/// <remarks>
/// Out of line so that the loop stays small enough for the JIT to keep its state in registers (see
/// <c>StackArithmetic</c>).
/// </remarks>
internal sealed partial class EvmInterpreter
{
    /// <summary>The value pushed by ADDRESS, ORIGIN, CALLER, CODESIZE, GASPRICE, RETURNDATASIZE, the block fields, SELFBALANCE and MSIZE.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private UInt256 Environment(EvmFrame f, byte op) => op switch
    {
        0x30 => FromAddress(f.Address),
        0x32 => FromAddress(_origin),
        0x33 => FromAddress(f.Caller),
        0x38 => new UInt256((ulong)f.Code.Code.Length),
        0x3A => _gasPrice,
        0x3D => new UInt256((ulong)f.ReturnData.Length),
        0x41 => FromAddress(_block.Coinbase),
        0x42 => new UInt256(_block.Timestamp),
        0x43 => new UInt256((ulong)_block.Number),
        0x44 => new UInt256(_block.PrevRandao.Bytes),
        0x45 => new UInt256((ulong)_block.GasLimit),
        0x46 => new UInt256(_block.ChainId),
        0x47 => _state.GetBalance(f.Address),
        0x48 => _block.BaseFee,
        0x4A => _block.BlobBaseFee,
        0x59 => new UInt256(f.Memory.Size),
        _ => throw new InvalidOperationException($"opcode 0x{op:x2} is not an environment read"),
    };

    /// <summary>CALLDATALOAD: the 32 bytes of input at the offset, zero past the end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static void CallDataLoad(byte[] input, ref UInt256 top)
    {
        if (top.FitsInUInt64 && top.U0 + 32 <= (ulong)input.Length)
        {
            ref byte p = ref MemoryMarshal.GetReference(input.AsSpan((int)top.U0, 32));
            top = new UInt256(ReadBigEndian64(ref p, 24), ReadBigEndian64(ref p, 16), ReadBigEndian64(ref p, 8), ReadBigEndian64(ref p, 0));
            return;
        }

        Span<byte> word = stackalloc byte[32];
        word.Clear();
        if (top.FitsInUInt64 && top.U0 < (ulong)input.Length)
        {
            int start = (int)top.U0;
            input.AsSpan(start, Math.Min(32, input.Length - start)).CopyTo(word);
        }

        top = new UInt256(word);
    }

    /// <summary>PUSH9..PUSH31: the n bytes after the opcode, read as whole words from the padded code and masked.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PushWide(ref byte code, int n, ref UInt256 into)
    {
        // CodeInfo's 32 bytes of front padding make the reads before the data safe; the masks drop those bytes.
        // Written in place (not returned): a returned value is copied to the stack as one vector, which then stalls
        // the next word-wise read of it.
        into = new UInt256(
            ReadBigEndian64(ref code, n - 8),
            ReadBigEndian64(ref code, n - 16) & KeepLowBytes(n - 8),
            ReadBigEndian64(ref code, n - 24) & KeepLowBytes(n - 16),
            ReadBigEndian64(ref code, n - 32) & KeepLowBytes(n - 24));
    }

    /// <summary>KECCAK256.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static EvmStatus Keccak(EvmFrame f, ref UInt256 top)
    {
        ref UInt256 len = ref Unsafe.Subtract(ref top, 1);
        long gas = f.Memory.Expand(f.Gas, top, len);
        if (gas >= 0)
        {
            gas = ChargeWords(gas, len, GasCosts.KeccakWord);
        }

        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(len.IsZero ? [] : f.Memory.Slice(top.U0, len.U0), h);
        len = new UInt256(h);
        return EvmStatus.Success;
    }

    /// <summary>BALANCE, EXTCODESIZE, EXTCODEHASH: the account at the top, charged warm or cold (EIP-2929).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus AccountQuery(EvmFrame f, ref UInt256 top, byte op)
    {
        Address addr = ToAddress(top);
        long gas = f.Gas - AccountAccessCost(addr);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        top = op switch
        {
            0x31 => _state.GetBalance(addr),
            0x3B => new UInt256((ulong)_state.GetCode(addr).Length),

            // EIP-1052 + EIP-161: zero for a non-existent or empty account.
            _ => _state.IsEmpty(addr) ? default : new UInt256(_state.GetCodeHash(addr).Bytes),
        };
        return EvmStatus.Success;
    }

    /// <summary>CALLDATACOPY, CODECOPY, EXTCODECOPY, RETURNDATACOPY and MCOPY.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus Copy(EvmFrame f, ref UInt256 top, byte op)
    {
        long gas = f.Gas;
        EvmMemory mem = f.Memory;
        Address ext = default;
        if (op == 0x3C)
        {
            ext = ToAddress(top);
            top = ref Unsafe.Subtract(ref top, 1);
        }

        UInt256 memOff = top;
        UInt256 srcOff = Unsafe.Subtract(ref top, 1);
        UInt256 len = Unsafe.Subtract(ref top, 2);
        if (op == 0x3E)
        {
            // EIP-211: reading past the end of the return data is an exceptional halt.
            if (!srcOff.FitsInUInt64 || !len.FitsInUInt64 || srcOff.U0 + len.U0 < srcOff.U0 || srcOff.U0 + len.U0 > (ulong)f.ReturnData.Length)
            {
                return EvmStatus.ReturnDataOutOfBounds;
            }
        }

        gas = mem.Expand(gas, memOff, len);
        if (op == 0x5E && gas >= 0)
        {
            // EIP-5656 MCOPY: memory covers the larger of the two ranges.
            gas = mem.Expand(gas, srcOff, len);
        }

        if (gas >= 0)
        {
            gas = ChargeWords(gas, len, GasCosts.CopyWord);
        }

        if (op == 0x3C && gas >= 0)
        {
            gas -= AccountAccessCost(ext);
        }

        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        switch (op)
        {
            case 0x37:
                CopyPadded(mem, memOff, len, f.Input, srcOff);
                break;
            case 0x39:
                CopyPadded(mem, memOff, len, f.Code.Code, srcOff);
                break;
            case 0x3C:
                CopyPadded(mem, memOff, len, _state.GetCode(ext), srcOff);
                break;
            case 0x3E:
                CopyPadded(mem, memOff, len, f.ReturnData, srcOff);
                break;
            default:
                if (!len.IsZero)
                {
                    mem.Slice(srcOff.U0, len.U0).CopyTo(mem.Slice(memOff.U0, len.U0));
                }

                break;
        }

        return EvmStatus.Success;
    }

    /// <summary>BLOCKHASH: one of the 256 most recent blocks, else zero.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BlockHash(ref UInt256 top)
    {
        long current = _block.Number;
        top = top.FitsInUInt64 && top.U0 < (ulong)current && (ulong)current - top.U0 <= 256 && _block.BlockHashes is not null
            ? new UInt256(_block.BlockHashes((long)top.U0).Bytes)
            : default;
    }

    /// <summary>MLOAD and MSTORE outside the memory already paid for: charges the expansion of 32 bytes at the top offset.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ExpandWord(EvmMemory mem, in UInt256 offset, long gas, ulong length) =>
        mem.Expand(gas, offset, new UInt256(length));

    /// <summary>MSTORE8.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EvmStatus MStore8(EvmFrame f, ref UInt256 top)
    {
        long gas = f.Memory.Expand(f.Gas, top, new UInt256(1));
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        f.Memory.WriteByte(top.U0, (byte)Unsafe.Subtract(ref top, 1).U0);
        return EvmStatus.Success;
    }

    /// <summary>SLOAD, warm or cold (EIP-2929).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus SLoad(EvmFrame f, ref UInt256 top)
    {
        long gas = f.Gas - (_sub.WarmSlot(f.Address, top) ? GasCosts.ColdSload : GasCosts.WarmAccess);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        top = _state.GetStorage(f.Address, top);
        return EvmStatus.Success;
    }

    /// <summary>SSTORE: the static-call rule, the EIP-2200 sentry, then the EIP-2929/3529 costs and refunds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus SStoreOp(EvmFrame f, ref UInt256 top)
    {
        if (f.IsStatic)
        {
            return EvmStatus.StaticStateChange;
        }

        // EIP-2200: SSTORE needs more than the call stipend left.
        if (f.Gas <= GasCosts.SstoreSentry)
        {
            return EvmStatus.OutOfGas;
        }

        long gas = SStore(f.Address, top, Unsafe.Subtract(ref top, 1), f.Gas);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        return EvmStatus.Success;
    }

    /// <summary>TLOAD (EIP-1153).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TLoad(EvmFrame f, ref UInt256 top) => top = _state.GetTransientStorage(f.Address, top);

    /// <summary>TSTORE (EIP-1153): not in a static call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus TStore(EvmFrame f, ref UInt256 top)
    {
        if (f.IsStatic)
        {
            return EvmStatus.StaticStateChange;
        }

        _state.SetTransientStorage(f.Address, top, Unsafe.Subtract(ref top, 1));
        return EvmStatus.Success;
    }

    /// <summary>LOG0..LOG4 with the offset at the top, then the length and the topics.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private EvmStatus Log(EvmFrame f, ref UInt256 top, int topics)
    {
        if (f.IsStatic)
        {
            return EvmStatus.StaticStateChange;
        }

        UInt256 off = top;
        UInt256 len = Unsafe.Subtract(ref top, 1);
        long gas = f.Memory.Expand(f.Gas, off, len);
        if (gas >= 0)
        {
            gas -= GasCosts.LogData * (long)len.U0;
        }

        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        Hash256[] t = topics == 0 ? [] : new Hash256[topics];
        Span<byte> buf = stackalloc byte[32];
        for (int i = 0; i < topics; i++)
        {
            Unsafe.Subtract(ref top, 2 + i).WriteBigEndian(buf);
            t[i] = new Hash256(buf);
        }

        _sub.Logs.Add(new LogEntry(f.Address, t, len.IsZero ? [] : f.Memory.Slice(off.U0, len.U0).ToArray()));
        return EvmStatus.Success;
    }

    /// <summary>RETURN or REVERT with the offset at the top and the length below.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EvmStatus Return(EvmFrame f, ref UInt256 top, long gas, EvmStatus status)
    {
        UInt256 off = top;
        UInt256 len = Unsafe.Subtract(ref top, 1);
        gas = f.Memory.Expand(gas, off, len);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        f.Output = len.IsZero ? [] : f.Memory.Slice(off.U0, len.U0).ToArray();
        return status;
    }

    /// <summary>SELFDESTRUCT with the beneficiary at the top.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private EvmStatus SelfDestructOp(EvmFrame f, ref UInt256 top, long gas)
    {
        if (f.IsStatic)
        {
            return EvmStatus.StaticStateChange;
        }

        gas = SelfDestruct(f.Address, ToAddress(top), gas);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        f.Gas = gas;
        return EvmStatus.Success;
    }
}
