using System.Text;
using Cere.Core;
using Cere.Core.Transactions;

namespace Cere.Vm.Tests;

/// <summary>
/// Unsigned message calls (<see cref="TransactionProcessor.Call"/>, <see cref="TransactionProcessor.EstimateGas"/>):
/// the same outcome as the signed transaction path, geth's relaxed checks, and a state left exactly as it was.
/// </summary>
[TestFixture]
public sealed class MessageCallTests
{
    private static readonly Address Contract = Address.Parse("0x00000000000000000000000000000000000c0de1");

    // calldata[0] → slot 0; LOG0 and RETURN of the slot's value.
    private static readonly byte[] StoreAndReturn = Hex.Decode("0x5f355f555f545f5260205fa060205ff3");

    // MSTORE(0, BASEFEE); MSTORE(32, GASPRICE); RETURN(0, 64).
    private static readonly byte[] FeeProbe = Hex.Decode("0x485f523a6020526040" + "5ff3");

    // REVERT(0, 0) unless GAS > 0x30000 at the check: the gas needed is far above the gas used.
    private static readonly byte[] GasGate = Hex.Decode("0x5a6203000011600a57005b5f5ffd");

    private static TestChain WithCode(byte[] code)
    {
        TestChain chain = new();
        chain.State.SetCode(Contract, code);
        chain.State.FinalizeTransaction();
        return chain;
    }

    private static CallRequest Request(TestChain chain, byte[] data, ulong? gas = 100_000, UInt256 value = default, UInt256? maxFee = null) => new()
    {
        From = chain.Key.Address,
        To = Contract,
        Gas = gas,
        Value = value,
        Data = data,
        MaxFeePerGas = maxFee,
        MaxPriorityFeePerGas = maxFee is null ? null : new UInt256(2),
    };

    [Test]
    public void CallMatchesTheSignedTransactionAndLeavesTheStateAsItWas()
    {
        using TestChain chain = WithCode(StoreAndReturn);
        byte[] word = new byte[32];
        word[31] = 0x2a;
        Hash256 before = chain.State.ComputeStateRoot();

        CallOutcome call = EvmThread.Run(() => chain.Processor.Call(Request(chain, word, value: 5, maxFee: 100)));
        Assert.That(chain.State.ComputeStateRoot(), Is.EqualTo(before), "nothing of the call is kept");
        Assert.That(chain.State.GetStorage(Contract, UInt256.Zero), Is.EqualTo(UInt256.Zero));

        TransactionResult tx = chain.Run(chain.Sign(Contract, word, gas: 100_000, value: 5));
        Assert.That(call.Status, Is.EqualTo(tx.Status));
        Assert.That(call.GasUsed, Is.EqualTo(tx.GasUsed));
        Assert.That(call.Output, Is.EqualTo(tx.Output));
        Assert.That(call.Logs, Has.Length.EqualTo(1));
        Assert.That(call.Logs[0].Data, Is.EqualTo(tx.Logs[0].Data));
        Assert.That(chain.State.GetStorage(Contract, UInt256.Zero), Is.EqualTo(new UInt256(0x2a)), "the transaction did write");
    }

    [Test]
    public void WithoutFeesBaseFeeAndGasPriceReadZero()
    {
        using TestChain chain = WithCode(FeeProbe);
        CallOutcome free = EvmThread.Run(() => chain.Processor.Call(Request(chain, [])));
        Assert.That(free.Output, Is.EqualTo(new byte[64]), "geth's NoBaseFee: BASEFEE and GASPRICE are 0");

        CallOutcome paid = EvmThread.Run(() => chain.Processor.Call(Request(chain, [], maxFee: 100)));
        Assert.That(new UInt256(paid.Output.AsSpan(0, 32)), Is.EqualTo(new UInt256(7)), "the block's base fee");
        Assert.That(new UInt256(paid.Output.AsSpan(32, 32)), Is.EqualTo(new UInt256(9)), "base fee 7 + tip 2");
    }

    [Test]
    public void NoFundsNoNonceAndASenderWithCodeAreAllFineForACall()
    {
        using TestChain chain = WithCode(StoreAndReturn);
        Address poorContract = Address.Parse("0x00000000000000000000000000000000000c0de2");
        chain.State.SetCode(poorContract, [0x00]);
        chain.State.FinalizeTransaction();

        // EIP-3607 and the nonce are not checked; without fees an empty balance pays nothing.
        CallOutcome o = EvmThread.Run(() => chain.Processor.Call(new CallRequest { From = poorContract, To = Contract, Gas = 100_000, Data = new byte[32] }));
        Assert.That(o.Status, Is.EqualTo(EvmStatus.Success));
    }

    [Test]
    public void MissingGasIsTheBlockGasLimit()
    {
        using TestChain chain = WithCode(GasGate);
        CallOutcome o = EvmThread.Run(() => chain.Processor.Call(Request(chain, [], gas: null)));
        Assert.That(o.Status, Is.EqualTo(EvmStatus.Success), "30M gas passes the gate");
    }

    [TestCase(TxRejection.InsufficientFunds, "insufficient funds for gas * price + value")]
    [TestCase(TxRejection.IntrinsicGasTooLow, "intrinsic gas too low: have 20000, want 21000")]
    [TestCase(TxRejection.FeeCapTooLow, "max fee per gas less than block base fee")]
    [TestCase(TxRejection.Invalid, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified")]
    public void CallThatCannotRunIsRejectedAndChangesNothing(TxRejection reason, string message)
    {
        using TestChain chain = WithCode(StoreAndReturn);
        Hash256 before = chain.State.ComputeStateRoot();
        CallRequest r = reason switch
        {
            TxRejection.InsufficientFunds => Request(chain, [], value: UInt256.Parse("1000000000000000000001")),
            TxRejection.IntrinsicGasTooLow => Request(chain, [], gas: 20_000),
            TxRejection.FeeCapTooLow => new CallRequest { From = chain.Key.Address, To = Contract, Gas = 50_000, MaxFeePerGas = 6 },
            _ => new CallRequest { From = chain.Key.Address, To = Contract, Gas = 50_000, GasPrice = 10, MaxFeePerGas = 10 },
        };

        TxRejectedException e = Assert.Throws<TxRejectedException>(() => EvmThread.Run(() => chain.Processor.Call(r)))!;
        Assert.That(e.Reason, Is.EqualTo(reason));
        Assert.That(e.Message, Does.StartWith(message));
        Assert.That(chain.State.ComputeStateRoot(), Is.EqualTo(before));
    }

    [Test]
    public void EstimateIsTheSmallestLimitThatTheSignedTransactionNeeds()
    {
        using TestChain chain = WithCode(GasGate);
        GasEstimate estimate = EvmThread.Run(() => chain.Processor.EstimateGas(Request(chain, [], gas: null), 50_000_000));
        Assert.That(estimate.Succeeded, Is.True);
        Assert.That(estimate.Gas, Is.GreaterThan(0x30000UL));

        // Checked through Execute, the signed path: one unit less reverts, the estimate succeeds.
        Assert.That(chain.Run(chain.Sign(Contract, [], gas: estimate.Gas - 1)).Status, Is.EqualTo(EvmStatus.Revert));
        TransactionResult ok = chain.Run(chain.Sign(Contract, [], gas: estimate.Gas));
        Assert.That(ok.Status, Is.EqualTo(EvmStatus.Success));
        Assert.That((ulong)ok.GasUsed, Is.LessThan(estimate.Gas));
    }

    [Test]
    public void EstimateThatRunsOutOfGasAtTheCapSaysSo()
    {
        using TestChain chain = WithCode(GasGate);
        GasEstimate estimate = EvmThread.Run(() => chain.Processor.EstimateGas(Request(chain, [], gas: null), 100_000));
        Assert.That(estimate.Succeeded, Is.False);
        Assert.That(estimate.Failure!.Status, Is.EqualTo(EvmStatus.Revert), "the gate reverts when gas is short");
        Assert.That(estimate.Error, Is.EqualTo("execution reverted"));
    }

    [Test]
    public void RevertReasonDecodesErrorAndPanicAndNothingElse()
    {
        byte[] text = Encoding.UTF8.GetBytes("nope");
        byte[] error = new byte[4 + 96];
        Hex.Decode("0x08c379a0").CopyTo(error, 0);
        error[4 + 31] = 0x20;
        error[4 + 63] = (byte)text.Length;
        text.CopyTo(error, 4 + 64);
        Assert.That(RevertReason.TryDecode(error), Is.EqualTo("nope"));
        Assert.That(RevertReason.Message(error), Is.EqualTo("execution reverted: nope"));

        byte[] panic = new byte[36];
        Hex.Decode("0x4e487b71").CopyTo(panic, 0);
        panic[35] = 0x11;
        Assert.That(RevertReason.TryDecode(panic), Is.EqualTo("arithmetic underflow or overflow"));
        panic[35] = 0x99;
        Assert.That(RevertReason.TryDecode(panic), Is.EqualTo("unknown panic code: 0x99"));

        byte[] badOffset = (byte[])error.Clone();
        badOffset[4 + 31] = 0xff;
        Assert.That(RevertReason.TryDecode(badOffset), Is.Null, "an offset past the data");
        byte[] badLength = (byte[])error.Clone();
        badLength[4 + 63] = 0xff;
        Assert.That(RevertReason.TryDecode(badLength), Is.Null, "a length past the data");
        Assert.That(RevertReason.TryDecode(Hex.Decode("0x12345678")), Is.Null, "a custom error");
        Assert.That(RevertReason.Message([]), Is.EqualTo("execution reverted"));
    }

    [Test]
    public void AccessListOfACallThatReadsAnotherContract()
    {
        // Contract reads slot 7 of Other through STATICCALL; Other's code is SLOAD(7) then REVERT, so the read is in a reverted frame.
        Address other = Address.Parse("0x00000000000000000000000000000000000c0de3");
        using TestChain chain = WithCode(Hex.Decode("0x5f5f5f5f73" + other.ToString()[2..] + "5afa00"));
        chain.State.SetCode(other, Hex.Decode("0x6007545f5ffd"));
        chain.State.FinalizeTransaction();

        (AccessListEntry[] list, CallOutcome outcome) = EvmThread.Run(() => chain.Processor.CreateAccessList(Request(chain, [], gas: 200_000)));
        Assert.That(outcome.Status, Is.EqualTo(EvmStatus.Success));
        Assert.That(list, Has.Length.EqualTo(1));
        Assert.That(list[0].Address, Is.EqualTo(other));
        byte[] seven = new byte[32];
        seven[31] = 7;
        Assert.That(list[0].StorageKeys, Is.EqualTo(new[] { new Hash256(seven) }));

        // The signed transaction with the list uses exactly the gas reported for it.
        TransactionResult tx = chain.Run(TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 1,
            Nonce = chain.State.GetNonce(chain.Key.Address),
            MaxFeePerGas = 100,
            MaxPriorityFeePerGas = 2,
            GasLimit = 200_000,
            To = Contract,
            AccessList = list,
        }, chain.Key));
        Assert.That(tx.GasUsed, Is.EqualTo(outcome.GasUsed));
    }
}
