using Cere.Core;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Vm.Precompiles;

namespace Cere.Vm;

/// <summary>Unsigned message calls (eth_call, eth_estimateGas, eth_createAccessList) on the processor's state, undone afterwards.</summary>
public sealed partial class TransactionProcessor
{
    /// <summary>
    /// Runs <paramref name="request"/> as geth runs eth_call: no signature, no nonce check, no EIP-3607 sender check,
    /// no block gas limit; without fee fields the gas price and BASEFEE are 0 and only the value must be affordable
    /// (geth's NoBaseFee). Every change to the state is reverted before returning, so the state is left as it was.
    /// Needs a big-stack thread (see <see cref="EvmThread"/>).
    /// </summary>
    /// <param name="request">The call.</param>
    /// <param name="recordAccessList">Also collect what the call touched into <see cref="CallOutcome.AccessList"/>.</param>
    /// <exception cref="TxRejectedException">The call cannot run at all (fees, funds, intrinsic gas); the state is unchanged.</exception>
    public CallOutcome Call(CallRequest request, bool recordAccessList = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        Address from = request.From;
        BlockEnvironment env = CallEnvironment(request, out UInt256 gasPrice);
        ulong gasLimit = request.Gas ?? (ulong)_block.GasLimit;
        if (gasLimit > long.MaxValue)
        {
            throw new TxRejectedException(TxRejection.Invalid, $"gas uint64 overflow: gas {gasLimit}");
        }

        if (request.To is null && _state.GetNonce(from) == ulong.MaxValue)
        {
            throw new TxRejectedException(TxRejection.NonceMax, $"nonce has max value: address {from}, nonce: {ulong.MaxValue}");
        }

        // The balance must cover gas at the fee cap plus the value (geth's buyGas), or just the value without fees.
        UInt256 balance = _state.GetBalance(from);
        bool overflow = UInt256.MultiplyOverflow(new UInt256(gasLimit), request.FeeCap, out UInt256 maxCost);
        overflow |= UInt256.AddOverflow(maxCost, request.Value, out UInt256 need);
        if (overflow || balance < need)
        {
            throw new TxRejectedException(TxRejection.InsufficientFunds, $"insufficient funds for gas * price + value: address {from} have {balance} want {(overflow ? "more than 2^256" : need.ToString())}");
        }

        AccessListEntry[] accessList = request.AccessList as AccessListEntry[] ?? [.. request.AccessList];
        ulong intrinsic = IntrinsicGas.Of(new Transaction { To = request.To, Data = request.Data, AccessList = accessList });
        if (gasLimit < intrinsic)
        {
            throw new TxRejectedException(TxRejection.IntrinsicGasTooLow, $"intrinsic gas too low: have {gasLimit}, want {intrinsic}");
        }

        // EIP-3860: creation code is limited to twice the EIP-170 code size.
        if (request.To is null && request.Data.Length > IntrinsicGas.MaxInitCodeSize)
        {
            throw new TxRejectedException(TxRejection.Invalid, $"max initcode size exceeded: code size {request.Data.Length}, limit {IntrinsicGas.MaxInitCodeSize}");
        }

        int snapshot = _state.TakeSnapshot();
        try
        {
            return Run(request, from, env, gasPrice, gasLimit, intrinsic, accessList, recordAccessList);
        }
        finally
        {
            _state.RevertToSnapshot(snapshot);
        }
    }

    /// <summary>
    /// geth's eth_createAccessList: runs the call with the access list it collected last time until a run touches
    /// nothing new (the list only grows, so this ends). Returns that list and the outcome of the last run.
    /// </summary>
    /// <exception cref="TxRejectedException">The call cannot run at all; the state is unchanged.</exception>
    public (AccessListEntry[] AccessList, CallOutcome Outcome) CreateAccessList(CallRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        AccessListEntry[] current = new AccessRecorder(request.AccessList, AccessListExclusions(request)).ToAccessList();
        while (true)
        {
            CallOutcome outcome = Call(request.WithAccessList(current), recordAccessList: true);
            if (SameAccessList(outcome.AccessList!, current))
            {
                return (current, outcome);
            }

            current = outcome.AccessList!;
        }
    }

    private CallOutcome Run(CallRequest request, Address from, BlockEnvironment env, UInt256 gasPrice, ulong gasLimit, ulong intrinsic, AccessListEntry[] accessList, bool recordAccessList)
    {
        TxSubstate sub = new();
        EvmInterpreter evm = new(_state, env, sub, from, gasPrice, Tracer, NativeModules);
        _state.SubtractBalance(from, new UInt256(gasLimit) * gasPrice);
        WarmUp(sub, from, request.To, accessList, env.Coinbase);

        // Recording starts after the warm-up: what the transaction warms by itself is not the call's access.
        AccessRecorder? recorder = recordAccessList ? new AccessRecorder(accessList, AccessListExclusions(request)) : null;
        sub.Recorder = recorder;

        long gas = (long)(gasLimit - intrinsic);
        CallResult r;
        Address? created = null;
        if (request.To is Address to)
        {
            _state.IncrementNonce(from);
            r = evm.Call(0, from, to, to, request.Value, request.Value, request.Data, gas, false, 0);
        }
        else
        {
            // geth derives the new address from the sender's state nonce (calls carry no checked nonce).
            Address target = EvmInterpreter.CreateAddress(from, _state.GetNonce(from));
            r = evm.Create(from, target, request.Data, gas, request.Value, 0, 0);
            if (r.IsSuccess)
            {
                // As geth does, a creation's call output is the code it deployed.
                created = target;
                r = r with { Output = _state.GetCode(target) };
            }
        }

        // EIP-3529: the refund is capped at a fifth of the gas used. Fees are not paid out: the state is reverted.
        long used = (long)gasLimit - r.GasLeft;
        long refund = Math.Min(Math.Max(sub.Refund, 0), used / GasCosts.MaxRefundQuotient);
        LogEntry[] logs = r.IsSuccess ? sub.Logs.ToArray() : [];
        return new CallOutcome
        {
            Status = r.Status,
            GasUsed = used - refund,
            GasRefunded = refund,
            Output = r.Output,
            Logs = logs,
            ContractAddress = created,
            AccessList = recorder?.ToAccessList(),
        };
    }

    // Fee fields as geth's TransactionArgs.ToMessage reads them, checked as its preCheck does with NoBaseFee set.
    private BlockEnvironment CallEnvironment(CallRequest request, out UInt256 gasPrice)
    {
        UInt256 feeCap, tip;
        if (request.GasPrice is UInt256 legacy)
        {
            if (request.MaxFeePerGas is not null || request.MaxPriorityFeePerGas is not null)
            {
                throw new TxRejectedException(TxRejection.Invalid, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
            }

            feeCap = legacy;
            tip = legacy;
        }
        else
        {
            feeCap = request.MaxFeePerGas ?? UInt256.Zero;
            tip = request.MaxPriorityFeePerGas ?? UInt256.Zero;
        }

        if (feeCap.IsZero && tip.IsZero)
        {
            // geth's NoBaseFee (eth_call): a call without fees runs at gas price 0 and BASEFEE reads 0.
            gasPrice = UInt256.Zero;
            return WithBaseFee(_block, UInt256.Zero);
        }

        if (feeCap < tip)
        {
            throw new TxRejectedException(TxRejection.Invalid, $"max priority fee per gas higher than max fee per gas: address {request.From}, maxPriorityFeePerGas: {tip}, maxFeePerGas: {feeCap}");
        }

        // EIP-1559: the fee cap must cover the base fee; the price is the base fee plus the tip, up to the cap.
        if (feeCap < _block.BaseFee)
        {
            throw new TxRejectedException(TxRejection.FeeCapTooLow, $"max fee per gas less than block base fee: address {request.From}, maxFeePerGas: {feeCap}, baseFee: {_block.BaseFee}");
        }

        UInt256 room = feeCap - _block.BaseFee;
        gasPrice = _block.BaseFee + (room < tip ? room : tip);
        return _block;
    }

    private static BlockEnvironment WithBaseFee(BlockEnvironment b, UInt256 baseFee) => new()
    {
        Coinbase = b.Coinbase,
        Number = b.Number,
        Timestamp = b.Timestamp,
        GasLimit = b.GasLimit,
        BaseFee = baseFee,
        PrevRandao = b.PrevRandao,
        BlobBaseFee = b.BlobBaseFee,
        ChainId = b.ChainId,
        BlockHashes = b.BlockHashes,
    };

    // geth's access-list tracer leaves out the sender, the recipient (or the created address) and the precompiles.
    private HashSet<Address> AccessListExclusions(CallRequest request)
    {
        HashSet<Address> excluded = [request.From, request.To ?? EvmInterpreter.CreateAddress(request.From, _state.GetNonce(request.From))];
        for (int i = 1; i <= PrecompileSet.Count; i++)
        {
            excluded.Add(PrecompileSet.AddressOf(i));
        }

        if (NativeModules is not null)
        {
            foreach (Address a in NativeModules.Addresses)
            {
                excluded.Add(a);
            }
        }

        return excluded;
    }

    private static bool SameAccessList(AccessListEntry[] a, AccessListEntry[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
