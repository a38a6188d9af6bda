using Cere.Core;
using Cere.Vm.Native;

namespace Cere.Vm.Tests;

/// <summary>The native-module seam: a CALL to a registered address runs the module with state, gas, caller, value and logs.</summary>
[TestFixture]
public sealed class NativeModuleTests
{
    private static readonly Address ModuleAddress = Address.Parse("0x00000000000000000000000000000000000c0de1");
    private static readonly Address Caller = Address.Parse("0x1000000000000000000000000000000000000001");

    /// <summary>A test module: adds the first input word to storage slot 0, logs (caller, value); input word 0 reverts, no input runs out of gas.</summary>
    private sealed class CounterModule : INativeModule
    {
        public CallResult Call(NativeCallContext context)
        {
            const long Cost = 5000;
            if (context.Input.Length == 0 || context.Gas < Cost)
            {
                return new CallResult(EvmStatus.OutOfGas, 0, []);
            }

            UInt256 add = new(context.Input.AsSpan(0, 32));
            UInt256 next = context.State.GetStorage(context.Self, UInt256.Zero) + add;
            context.State.SetStorage(context.Self, UInt256.Zero, next);
            byte[] data = new byte[64];
            EvmInterpreter.FromAddress(context.Caller).WriteBigEndian(data.AsSpan(0, 32));
            context.Value.WriteBigEndian(data.AsSpan(32, 32));
            context.EmitLog([], data);
            byte[] output = new byte[32];
            next.WriteBigEndian(output);
            return add.IsZero ? new CallResult(EvmStatus.Revert, context.Gas - Cost, output) : new CallResult(EvmStatus.Success, context.Gas - Cost, output);
        }
    }

    // Caller contract: copies calldata to memory, CALLs the module with all of it and callvalue, stores success in
    // slot 0 and the returned word in slot 1.
    // CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY; PUSH1 32 PUSH0 CALLDATASIZE PUSH0 CALLVALUE PUSH20 module GAS CALL;
    // PUSH0 SSTORE; PUSH0 MLOAD PUSH1 1 SSTORE; STOP
    private static readonly byte[] CallerCode = Hex.Decode(
        "0x365f5f37" + "60205f365f34" + "73" + "00000000000000000000000000000000000c0de1" + "5af1" + "5f55" + "5f51600155" + "00");

    private static TestChain Setup()
    {
        TestChain chain = new();
        chain.State.SetCode(Caller, CallerCode);
        chain.State.FinalizeTransaction();
        NativeModuleRegistry registry = new();
        registry.Register(ModuleAddress, new CounterModule());
        chain.Processor.NativeModules = registry;
        return chain;
    }

    /// <summary>A successful call changes the module's storage, logs from its address and returns data to the caller.</summary>
    [Test]
    public void CallReachesModuleWithStateValueAndLogs()
    {
        using TestChain chain = Setup();
        byte[] input = new byte[32];
        input[31] = 5;
        TransactionResult r = chain.Run(chain.Sign(Caller, input, value: 7));

        Assert.That(r.Status, Is.EqualTo(EvmStatus.Success));
        Assert.That(chain.State.GetStorage(ModuleAddress, UInt256.Zero), Is.EqualTo(new UInt256(5)));
        Assert.That(chain.State.GetStorage(Caller, UInt256.Zero), Is.EqualTo(UInt256.One), "CALL pushed success");
        Assert.That(chain.State.GetStorage(Caller, UInt256.One), Is.EqualTo(new UInt256(5)), "return data copied");
        Assert.That(chain.State.GetBalance(ModuleAddress), Is.EqualTo(new UInt256(7)), "msg.value credited to the module");
        Assert.That(r.Logs, Has.Length.EqualTo(1));
        Assert.That(r.Logs[0].Address, Is.EqualTo(ModuleAddress));
        Assert.That(new UInt256(r.Logs[0].Data.AsSpan(0, 32)), Is.EqualTo(EvmInterpreter.FromAddress(Caller)), "msg.sender is the calling contract");
        Assert.That(new UInt256(r.Logs[0].Data.AsSpan(32, 32)), Is.EqualTo(new UInt256(7)));
    }

    /// <summary>A module revert undoes its storage writes, logs and value transfer, and the caller sees failure.</summary>
    [Test]
    public void ModuleRevertUndoesItsChanges()
    {
        using TestChain chain = Setup();
        TransactionResult r = chain.Run(chain.Sign(Caller, new byte[32], value: 7));

        Assert.That(r.Status, Is.EqualTo(EvmStatus.Success), "the calling contract itself finishes");
        Assert.That(chain.State.GetStorage(Caller, UInt256.Zero), Is.EqualTo(UInt256.Zero), "CALL pushed failure");
        Assert.That(chain.State.GetBalance(ModuleAddress), Is.EqualTo(UInt256.Zero));
        Assert.That(r.Logs, Is.Empty);
    }

    /// <summary>A module's exceptional failure consumes the gas given to it.</summary>
    [Test]
    public void ModuleOutOfGasConsumesCallGas()
    {
        using TestChain chain = Setup();
        TransactionResult r = chain.Run(chain.Sign(Caller, [], gas: 200_000));
        Assert.That(chain.State.GetStorage(Caller, UInt256.Zero), Is.EqualTo(UInt256.Zero));
        Assert.That(r.GasUsed, Is.GreaterThan(150_000), "63/64 of the gas went to the module and was consumed");
    }

    /// <summary>A precompile address or a taken address cannot be registered.</summary>
    [Test]
    public void RegistryRejectsPrecompileAndDuplicateAddresses()
    {
        NativeModuleRegistry registry = new();
        registry.Register(ModuleAddress, new CounterModule());
        Assert.Throws<ArgumentException>(() => registry.Register(ModuleAddress, new CounterModule()));
        Assert.Throws<ArgumentException>(() => registry.Register(Address.Parse("0x0000000000000000000000000000000000000001"), new CounterModule()));
    }
}
