using Cere.Core;
using Cere.Core.Receipts;
using Cere.Core.Transactions;
using Cere.Storage.State;
using Cere.Vm.Native;
using Cere.Vm.Precompiles;

namespace Cere.Vm;

/// <summary>
/// Executes transactions against a world state under Cancun rules: stateful checks, gas purchase, EIP-2930 access
/// list, the message call or creation, EIP-3529 refund, EIP-1559 fee burning and priority fee to the coinbase.
/// </summary>
public sealed partial class TransactionProcessor
{
    private readonly IWorldState _state;
    private readonly BlockEnvironment _block;

    /// <summary>Creates a processor for one block's transactions.</summary>
    public TransactionProcessor(IWorldState state, BlockEnvironment block)
    {
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _block = block ?? throw new ArgumentNullException(nameof(block));
    }

    /// <summary>An optional tracer (null: the untraced loop runs).</summary>
    public ITxTracer? Tracer { get; set; }

    /// <summary>Native modules the VM dispatches calls to (null: none).</summary>
    public NativeModuleRegistry? NativeModules { get; set; }

    /// <summary>
    /// Validates and executes <paramref name="tx"/>, then finalizes the transaction in the state (EIP-161 clean-up).
    /// Needs a thread stack of at least 16 MiB for deep call chains: see <see cref="EvmThread"/>.
    /// </summary>
    /// <exception cref="TxRejectedException">The transaction is invalid; the state is unchanged.</exception>
    public TransactionResult Execute(Transaction tx, ulong cumulativeGasBefore = 0)
    {
        ArgumentNullException.ThrowIfNull(tx);
        Address sender;
        try
        {
            sender = TransactionValidator.Validate(tx, _block.ChainId);
        }
        catch (TransactionException e)
        {
            TxRejection reason = e.Error == TxError.IntrinsicGasTooLow ? TxRejection.IntrinsicGasTooLow : TxRejection.Invalid;
            throw new TxRejectedException(reason, e.Message, e);
        }

        CheckState(tx, sender, out UInt256 effectiveGasPrice);
        return Run(tx, sender, effectiveGasPrice, cumulativeGasBefore);
    }

    private void CheckState(Transaction tx, in Address sender, out UInt256 effectiveGasPrice)
    {
        ulong nonce = _state.GetNonce(sender);
        if (nonce == ulong.MaxValue)
        {
            throw new TxRejectedException(TxRejection.NonceMax, $"nonce has max value: address {sender}, nonce: {nonce}");
        }

        if (tx.Nonce < nonce)
        {
            throw new TxRejectedException(TxRejection.NonceTooLow, $"nonce too low: address {sender}, tx: {tx.Nonce} state: {nonce}");
        }

        if (tx.Nonce > nonce)
        {
            throw new TxRejectedException(TxRejection.NonceTooHigh, $"nonce too high: address {sender}, tx: {tx.Nonce} state: {nonce}");
        }

        // EIP-3607: a sender with deployed code cannot originate transactions.
        Hash256 codeHash = _state.GetCodeHash(sender);
        if (!codeHash.IsZero && codeHash != Hash256.EmptyKeccak)
        {
            throw new TxRejectedException(TxRejection.SenderNotEoa, $"sender not an eoa: address {sender}, codehash: {codeHash}");
        }

        if (tx.GasLimit > (ulong)_block.GasLimit)
        {
            throw new TxRejectedException(TxRejection.GasLimitReached, $"gas limit reached: tx gas {tx.GasLimit} above block gas limit {_block.GasLimit}");
        }

        // EIP-1559: the fee cap must cover the base fee; the tip is what is left, up to the priority cap.
        if (tx.MaxFeePerGas < _block.BaseFee)
        {
            throw new TxRejectedException(TxRejection.FeeCapTooLow, $"max fee per gas less than block base fee: address {sender}, maxFeePerGas: {tx.MaxFeePerGas}, baseFee: {_block.BaseFee}");
        }

        UInt256 tip = tx.MaxFeePerGas - _block.BaseFee;
        if (tx.MaxPriorityFeePerGas < tip)
        {
            tip = tx.MaxPriorityFeePerGas;
        }

        effectiveGasPrice = _block.BaseFee + tip;

        UInt256 balance = _state.GetBalance(sender);
        bool overflow = UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.MaxFeePerGas, out UInt256 maxCost);
        overflow |= UInt256.AddOverflow(maxCost, tx.Value, out UInt256 need);
        if (overflow || balance < need)
        {
            throw new TxRejectedException(TxRejection.InsufficientFunds, $"insufficient funds for gas * price + value: address {sender} have {balance} want {(overflow ? "more than 2^256" : need.ToString())}");
        }
    }

    private TransactionResult Run(Transaction tx, Address sender, UInt256 effectiveGasPrice, ulong cumulativeGasBefore)
    {
        TxSubstate sub = new();
        EvmInterpreter evm = new(_state, _block, sub, sender, effectiveGasPrice, Tracer, NativeModules);

        UInt256 gasCost = new UInt256(tx.GasLimit) * effectiveGasPrice;
        _state.SubtractBalance(sender, gasCost);

        WarmUp(sub, sender, tx.To, tx.AccessList, _block.Coinbase);

        long gas = (long)(tx.GasLimit - IntrinsicGas.Of(tx));
        CallResult r;
        Address? created = null;
        if (tx.To is Address to)
        {
            _state.IncrementNonce(sender);
            r = evm.Call(0, sender, to, to, tx.Value, tx.Value, tx.Data, gas, false, 0);
        }
        else
        {
            Address target = EvmInterpreter.CreateAddress(sender, tx.Nonce);
            r = evm.Create(sender, target, tx.Data, gas, tx.Value, 0, 0);
            if (r.IsSuccess)
            {
                created = target;
            }
        }

        // EIP-3529: the refund is capped at a fifth of the gas used.
        long gasLeft = r.GasLeft;
        long used = (long)tx.GasLimit - gasLeft;
        long refund = Math.Min(Math.Max(sub.Refund, 0), used / GasCosts.MaxRefundQuotient);
        gasLeft += refund;
        used -= refund;

        _state.AddBalance(sender, new UInt256((ulong)gasLeft) * effectiveGasPrice);

        // EIP-1559: the base fee is burnt; the coinbase gets only the tip (and is touched even for zero, as geth does).
        UInt256 tipPerGas = effectiveGasPrice - _block.BaseFee;
        _state.AddBalance(_block.Coinbase, new UInt256((ulong)used) * tipPerGas);
        _state.Touch(_block.Coinbase);

        foreach (Address a in sub.Destructed)
        {
            _state.DeleteAccount(a); // EIP-6780: only accounts created in this transaction
        }

        _state.FinalizeTransaction();

        LogEntry[] logs = r.IsSuccess ? sub.Logs.ToArray() : [];
        ulong cumulative = cumulativeGasBefore + (ulong)used;
        return new TransactionResult
        {
            Status = r.Status,
            GasUsed = used,
            Output = r.Output,
            Logs = logs,
            ContractAddress = created,
            Receipt = new Receipt(tx.Type, r.IsSuccess, cumulative, logs),
        };
    }

    // EIP-2929/2930/3651: sender, recipient, precompiles, native modules, coinbase and the access list start warm.
    private void WarmUp(TxSubstate sub, in Address sender, Address? to, IReadOnlyList<AccessListEntry> accessList, in Address coinbase)
    {
        sub.WarmAccount(sender);
        if (to is Address toAddr)
        {
            sub.WarmAccount(toAddr);
        }

        for (int i = 1; i <= PrecompileSet.Count; i++)
        {
            sub.WarmAccount(PrecompileSet.AddressOf(i));
        }

        if (NativeModules is not null)
        {
            foreach (Address a in NativeModules.Addresses)
            {
                sub.WarmAccount(a);
            }
        }

        sub.WarmAccount(coinbase);
        for (int i = 0; i < accessList.Count; i++)
        {
            AccessListEntry e = accessList[i];
            sub.WarmAccount(e.Address);
            foreach (Hash256 k in e.StorageKeys)
            {
                sub.WarmSlot(e.Address, new UInt256(k.Bytes));
            }
        }
    }
}
