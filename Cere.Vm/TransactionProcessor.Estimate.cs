using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Vm;

/// <summary>eth_estimateGas: geth's binary search over the gas limit of an unsigned call.</summary>
public sealed partial class TransactionProcessor
{
    /// <summary>
    /// The smallest gas limit with which <paramref name="request"/> succeeds, searched as geth's gas estimator does
    /// (exactly: no error ratio). The upper bound is the request's gas (if at least 21,000) or the block gas limit,
    /// lowered to what the sender's balance pays at the fee cap and to <paramref name="gasCap"/> (0: no cap).
    /// The state is left unchanged. Needs a big-stack thread (see <see cref="EvmThread"/>).
    /// </summary>
    /// <exception cref="TxRejectedException">The call cannot run at any limit (fees, funds); the state is unchanged.</exception>
    public GasEstimate EstimateGas(CallRequest request, ulong gasCap)
    {
        ArgumentNullException.ThrowIfNull(request);
        ulong hi = request.Gas is ulong g && g >= IntrinsicGas.Transaction ? g : (ulong)_block.GasLimit;

        // With a fee cap the balance limits the gas: (balance - value) / feeCap.
        UInt256 feeCap = request.FeeCap;
        if (!feeCap.IsZero)
        {
            UInt256 available = _state.GetBalance(request.From);
            if (request.Value >= available)
            {
                throw new TxRejectedException(TxRejection.InsufficientFunds, "insufficient funds for transfer");
            }

            UInt256 allowance = (available - request.Value) / feeCap;
            if (allowance.FitsInUInt64 && hi > allowance.U0)
            {
                hi = allowance.U0;
            }
        }

        if (gasCap != 0 && hi > gasCap)
        {
            hi = gasCap;
        }

        // A plain transfer to an account without code needs exactly the base cost.
        if (request.Data.Length == 0 && request.To is Address to && _state.GetCode(to).Length == 0)
        {
            (bool transferFailed, _) = TryAt(request, IntrinsicGas.Transaction);
            if (!transferFailed)
            {
                return new GasEstimate { Gas = IntrinsicGas.Transaction, Allowance = hi };
            }
        }

        // First at the highest limit: if the call fails there, no limit helps.
        (bool failed, CallOutcome? top) = TryAt(request, hi);
        if (failed)
        {
            return new GasEstimate { Failure = top ?? OutOfGasAt(hi), Allowance = hi };
        }

        // The unconstrained run's gas used, minus one, is below any working limit (save for code that reads GAS).
        ulong lo = (ulong)top!.GasUsed - 1;

        // Usually the used gas plus the refund and a call stipend, with the 63/64 rule (EIP-150), is enough.
        ulong optimistic = ((ulong)top.GasUsed + (ulong)top.GasRefunded + 2_300) * 64 / 63;
        if (optimistic < hi)
        {
            if (TryAt(request, optimistic).Failed)
            {
                lo = optimistic;
            }
            else
            {
                hi = optimistic;
            }
        }

        while (lo + 1 < hi)
        {
            // Most calls need little more than they use: bisect towards the low end.
            ulong mid = lo + ((hi - lo) / 2);
            if (mid > lo * 2)
            {
                mid = lo * 2;
            }

            if (TryAt(request, mid).Failed)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return new GasEstimate { Gas = hi, Allowance = hi };
    }

    // One run at a gas limit; too little intrinsic gas is a failure to raise the limit, not an error.
    private (bool Failed, CallOutcome? Outcome) TryAt(CallRequest request, ulong gas)
    {
        try
        {
            CallOutcome o = Call(request.WithGas(gas));
            return (!o.IsSuccess, o);
        }
        catch (TxRejectedException e) when (e.Reason == TxRejection.IntrinsicGasTooLow)
        {
            return (true, null);
        }
    }

    private static CallOutcome OutOfGasAt(ulong gas) => new()
    {
        Status = EvmStatus.OutOfGas,
        GasUsed = (long)gas,
        GasRefunded = 0,
        Output = [],
        Logs = [],
    };
}
