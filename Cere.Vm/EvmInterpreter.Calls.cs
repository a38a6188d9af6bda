using System.Runtime.CompilerServices;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Core.Rlp;
using Cere.Storage.State;
using Cere.Vm.Interpreter;
using Cere.Vm.Native;
using Cere.Vm.Precompiles;

namespace Cere.Vm;

/// <summary>CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE and CREATE2, and the message-call and creation steps they share.</summary>
internal sealed partial class EvmInterpreter
{
    /// <summary>
    /// CALL, CALLCODE, DELEGATECALL, STATICCALL with the first operand at <paramref name="top"/> and the others below
    /// it; the success flag is written where the last operand was (the interpreter then drops the rest).
    /// </summary>
    private EvmStatus OpCall(EvmFrame f, ref UInt256 top, byte op)
    {
        long gas = f.Gas;
        UInt256 requested = top;
        Address to = ToAddress(Unsafe.Subtract(ref top, 1));
        bool hasValue = op is 0xF1 or 0xF2;
        UInt256 value = hasValue ? Unsafe.Subtract(ref top, 2) : UInt256.Zero;
        int a = hasValue ? 3 : 2;
        UInt256 inOff = Unsafe.Subtract(ref top, a);
        UInt256 inLen = Unsafe.Subtract(ref top, a + 1);
        UInt256 outOff = Unsafe.Subtract(ref top, a + 2);
        UInt256 outLen = Unsafe.Subtract(ref top, a + 3);
        ref UInt256 result = ref Unsafe.Subtract(ref top, a + 3);

        if (op == 0xF1 && f.IsStatic && !value.IsZero)
        {
            return EvmStatus.StaticStateChange;
        }

        gas = f.Memory.Expand(gas, inOff, inLen);
        if (gas >= 0)
        {
            gas = f.Memory.Expand(gas, outOff, outLen);
        }

        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        long cost = _sub.WarmAccount(to) ? GasCosts.ColdAccountAccess : GasCosts.WarmAccess; // EIP-2929
        if (!value.IsZero)
        {
            cost += GasCosts.CallValue;
            if (op == 0xF1 && _state.IsEmpty(to))
            {
                cost += GasCosts.NewAccount; // EIP-161: only a value transfer creates an account
            }
        }

        gas -= cost;
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        // EIP-150: a call gets at most all but one 64th of the gas left.
        long cap = gas - (gas / 64);
        long callGas = requested.FitsInUInt64 && requested.U0 < (ulong)cap ? (long)requested.U0 : cap;
        gas -= callGas;
        if (!value.IsZero)
        {
            callGas += GasCosts.CallStipend;
        }

        byte[] input = inLen.IsZero ? [] : f.Memory.Slice(inOff.U0, inLen.U0).ToArray();
        CallResult r = op switch
        {
            0xF1 => Call(op, f.Address, to, to, value, value, input, callGas, f.IsStatic, f.Depth + 1),
            0xF2 => Call(op, f.Address, f.Address, to, value, value, input, callGas, f.IsStatic, f.Depth + 1),
            0xF4 => Call(op, f.Caller, f.Address, to, UInt256.Zero, f.Value, input, callGas, f.IsStatic, f.Depth + 1),
            _ => Call(op, f.Address, to, to, UInt256.Zero, UInt256.Zero, input, callGas, true, f.Depth + 1),
        };

        f.ReturnData = r.Output;
        if (!outLen.IsZero && r.Output.Length > 0)
        {
            int n = (int)Math.Min(outLen.U0, (ulong)r.Output.Length);
            r.Output.AsSpan(0, n).CopyTo(f.Memory.Slice(outOff.U0, (ulong)n));
        }

        result = r.IsSuccess ? UInt256.One : UInt256.Zero;
        f.Gas = gas + r.GasLeft;
        return EvmStatus.Success;
    }

    /// <summary>
    /// CREATE / CREATE2 with the value at <paramref name="top"/> and the other operands below it; the new address
    /// (or zero) is written where the last operand was.
    /// </summary>
    private EvmStatus OpCreate(EvmFrame f, ref UInt256 top, bool isCreate2)
    {
        if (f.IsStatic)
        {
            return EvmStatus.StaticStateChange;
        }

        long gas = f.Gas;
        UInt256 value = top;
        UInt256 off = Unsafe.Subtract(ref top, 1);
        UInt256 len = Unsafe.Subtract(ref top, 2);
        UInt256 salt = isCreate2 ? Unsafe.Subtract(ref top, 3) : default;
        ref UInt256 result = ref Unsafe.Subtract(ref top, isCreate2 ? 3 : 2);

        // EIP-3860: init code over the limit is an exceptional halt.
        if (!len.FitsInUInt64 || len.U0 > GasCosts.MaxInitCodeSize)
        {
            return len.FitsInUInt64 && len.U0 <= 0xFFFFFFFF && f.Memory.Expand(gas, off, len) < 0 ? EvmStatus.OutOfGas : EvmStatus.InitCodeSizeExceeded;
        }

        gas = f.Memory.Expand(gas, off, len);
        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        long words = (long)((len.U0 + 31) / 32);
        gas -= GasCosts.InitCodeWord * words;
        if (isCreate2)
        {
            gas -= GasCosts.KeccakWord * words;
        }

        if (gas < 0)
        {
            return EvmStatus.OutOfGas;
        }

        byte[] initCode = len.IsZero ? [] : f.Memory.Slice(off.U0, len.U0).ToArray();
        f.ReturnData = [];
        long callGas = gas - (gas / 64); // EIP-150
        gas -= callGas;

        Address newAddress = isCreate2 ? Create2Address(f.Address, salt, initCode) : CreateAddress(f.Address, _state.GetNonce(f.Address));
        CallResult r = Create(f.Address, newAddress, initCode, callGas, value, f.Depth + 1, isCreate2 ? (byte)0xF5 : (byte)0xF0);
        if (r.Status == EvmStatus.Revert)
        {
            f.ReturnData = r.Output;
        }

        result = r.IsSuccess ? FromAddress(newAddress) : UInt256.Zero;
        f.Gas = gas + r.GasLeft;
        return EvmStatus.Success;
    }

    /// <summary>A message call (the transaction's own or a sub-call). Returns the gas left and the output.</summary>
    internal CallResult Call(byte kind, Address caller, Address to, Address codeAddress, UInt256 value, UInt256 apparentValue, byte[] input, long gas, bool isStatic, int depth)
    {
        if (depth > GasCosts.MaxCallDepth)
        {
            return new CallResult(EvmStatus.CallDepthExceeded, gas, []);
        }

        bool transfers = kind is 0 or 0xF1 or 0xF2;
        if (transfers && !value.IsZero && _state.GetBalance(caller) < value)
        {
            return new CallResult(EvmStatus.InsufficientBalance, gas, []);
        }

        _tracer?.OnEnterFrame(kind, caller, to, input, gas, value, depth);
        int snapshot = _state.TakeSnapshot();
        var subSnapshot = _sub.Snapshot();
        int precompile = PrecompileSet.IdOf(codeAddress);
        INativeModule? native = _natives?.Find(codeAddress);

        if (kind is 0 or 0xF1)
        {
            if (!_state.AccountExists(to) && precompile == 0 && native is null && value.IsZero)
            {
                // Nothing to run and nothing to move: the call succeeds without touching the state.
                _tracer?.OnExitFrame(EvmStatus.Success, gas, [], depth);
                return new CallResult(EvmStatus.Success, gas, []);
            }

            _state.SubtractBalance(caller, value);
            _state.AddBalance(to, value);
            _state.Touch(to);
        }

        CallResult r;
        if (precompile != 0)
        {
            r = PrecompileSet.Run(precompile, input, gas);
        }
        else if (native is not null)
        {
            r = native.Call(new NativeCallContext(_state, _sub.Logs, to, caller, apparentValue, input, gas, isStatic));
        }
        else
        {
            byte[] code = _state.GetCode(codeAddress);
            if (code.Length == 0)
            {
                r = new CallResult(EvmStatus.Success, gas, []);
            }
            else
            {
                EvmFrame frame = new()
                {
                    Code = CodeInfo.For(_state.GetCodeHash(codeAddress), code),
                    Address = to,
                    Caller = caller,
                    Value = apparentValue,
                    Input = input,
                    IsStatic = isStatic,
                    Depth = depth,
                    Gas = gas,
                };
                r = RunFrame(frame);
            }
        }

        if (!r.IsSuccess)
        {
            _state.RevertToSnapshot(snapshot);
            _sub.Revert(subSnapshot);
            if (r.Status != EvmStatus.Revert)
            {
                r = r with { GasLeft = 0, Output = [] };
            }
        }

        _tracer?.OnExitFrame(r.Status, r.GasLeft, r.Output, depth);
        return r;
    }

    /// <summary>A contract creation (the transaction's own or CREATE/CREATE2) at <paramref name="newAddress"/>.</summary>
    internal CallResult Create(Address caller, Address newAddress, byte[] initCode, long gas, UInt256 value, int depth, byte kind)
    {
        if (depth > GasCosts.MaxCallDepth)
        {
            return new CallResult(EvmStatus.CallDepthExceeded, gas, []);
        }

        if (!value.IsZero && _state.GetBalance(caller) < value)
        {
            return new CallResult(EvmStatus.InsufficientBalance, gas, []);
        }

        ulong nonce = _state.GetNonce(caller);
        if (nonce == ulong.MaxValue)
        {
            return new CallResult(EvmStatus.NonceOverflow, gas, []); // EIP-2681
        }

        _state.SetNonce(caller, nonce + 1);
        _sub.WarmAccount(newAddress); // EIP-2929: the new address is warm even if creation fails

        _tracer?.OnEnterFrame(kind, caller, newAddress, initCode, gas, value, depth);
        Hash256 existingHash = _state.GetCodeHash(newAddress);
        if (_state.GetNonce(newAddress) != 0 || (!existingHash.IsZero && existingHash != Hash256.EmptyKeccak) || HasCommittedStorage(newAddress))
        {
            // EIP-684: address collision consumes all the gas given to the creation.
            _tracer?.OnExitFrame(EvmStatus.ContractAddressCollision, 0, [], depth);
            return new CallResult(EvmStatus.ContractAddressCollision, 0, []);
        }

        int snapshot = _state.TakeSnapshot();
        var subSnapshot = _sub.Snapshot();
        _state.CreateAccount(newAddress);
        _state.SetNonce(newAddress, 1); // EIP-161
        _sub.MarkCreated(newAddress);
        _state.SubtractBalance(caller, value);
        _state.AddBalance(newAddress, value);
        _state.Touch(newAddress);

        CallResult r;
        if (initCode.Length == 0)
        {
            r = new CallResult(EvmStatus.Success, gas, []);
        }
        else
        {
            EvmFrame frame = new()
            {
                Code = CodeInfo.Analyse(initCode),
                Address = newAddress,
                Caller = caller,
                Value = value,
                Input = [],
                IsStatic = false,
                Depth = depth,
                Gas = gas,
            };
            r = RunFrame(frame);
        }

        if (r.IsSuccess)
        {
            byte[] code = r.Output;
            if (code.Length > GasCosts.MaxCodeSize)
            {
                r = new CallResult(EvmStatus.CodeSizeExceeded, 0, []); // EIP-170
            }
            else if (code.Length > 0 && code[0] == 0xEF)
            {
                r = new CallResult(EvmStatus.InvalidCodePrefix, 0, []); // EIP-3541
            }
            else if (r.GasLeft < GasCosts.CodeDeposit * code.Length)
            {
                r = new CallResult(EvmStatus.OutOfGas, 0, []);
            }
            else
            {
                _state.SetCode(newAddress, code);
                r = new CallResult(EvmStatus.Success, r.GasLeft - (GasCosts.CodeDeposit * code.Length), []);
            }
        }

        if (!r.IsSuccess)
        {
            _state.RevertToSnapshot(snapshot);
            _sub.Revert(subSnapshot);
            if (r.Status != EvmStatus.Revert)
            {
                r = r with { GasLeft = 0, Output = [] };
            }
        }

        _tracer?.OnExitFrame(r.Status, r.GasLeft, r.Output, depth);
        return r;
    }

    /// <summary>
    /// EIP-7610: an account with non-empty storage is a collision too. IWorldState has no storage-root query, so
    /// this reads the committed account through <see cref="WorldState.GetProof"/> (exact for storage written before
    /// the last commit; storage first written earlier in the same uncommitted block is not seen).
    /// </summary>
    private bool HasCommittedStorage(in Address address) =>
        _state.AccountExists(address) && _state is WorldState ws && ws.GetProof(address, []).Account is Account a && a.StorageRoot != Hash256.EmptyTrieRoot;

    /// <summary>The CREATE address: the last 20 bytes of keccak(rlp([sender, nonce])).</summary>
    public static Address CreateAddress(in Address sender, ulong nonce)
    {
        int payload = Rlp.LengthOfAddress + Rlp.LengthOf(nonce);
        Span<byte> buf = stackalloc byte[Rlp.LengthOfList(payload)];
        RlpWriter w = new(buf);
        w.WriteListHeader(payload);
        w.WriteAddress(sender);
        w.WriteUInt64(nonce);
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(buf, h);
        return new Address(h[12..]);
    }

    /// <summary>The CREATE2 address (EIP-1014): keccak(0xff ‖ sender ‖ salt ‖ keccak(init code))[12..].</summary>
    public static Address Create2Address(in Address sender, in UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        Span<byte> buf = stackalloc byte[85];
        buf[0] = 0xFF;
        sender.CopyTo(buf[1..]);
        salt.WriteBigEndian(buf.Slice(21, 32));
        Keccak256.Hash(initCode, buf.Slice(53, 32));
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(buf, h);
        return new Address(h[12..]);
    }
}
