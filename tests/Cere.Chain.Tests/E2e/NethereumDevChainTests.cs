using System.Numerics;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Cere.Chain.Tests.E2e;

/// <summary>
/// The real <c>cere-node --dev</c> binary driven from C# by Nethereum (a client we did not write): chain id, dev account
/// balances, a signed EIP-1559 transfer through Nethereum's Account and TransactionManager, and the solc-js-compiled
/// ERC-20 of tests/e2e/contracts: deploy, balanceOf by a FunctionMessage, transfer, the Transfer event from the receipt
/// and by eth_getLogs, a revert surfaced as SmartContractRevertException with its reason, estimateGas.
/// </summary>
[NonParallelizable]
public class NethereumDevChainTests
{
    private const string Reason = "ERC20: insufficient balance";

    // Anvil's published keys for "test test test test test test test test test test test junk" (m/44'/60'/0'/0/i),
    // with the addresses they must give: an independent check of the node's dev accounts.
    private static readonly (string Key, string Address)[] DevKeys =
    [
        ("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        ("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        ("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
        ("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", "0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
        ("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"),
        ("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"),
        ("0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e", "0x976EA74026E726554dB657fA54763abd0C3a0aa9"),
        ("0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"),
        ("0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97", "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"),
        ("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"),
    ];

    private static readonly BigInteger Supply = BigInteger.Parse("1000000") * BigInteger.Pow(10, 18);
    private static readonly BigInteger ChainId = 4242;

    private NodeProcess? _node;
    private Uri? _url;
    private string? _dataDir;
    private string? _bytecode;
    private Task<string>? _deployment;

    [OneTimeSetUp]
    public async Task StartNodeAndCompile()
    {
        JsScript.RequirePackages("solc");
        (int code, string stdout, string stderr) = await JsScript.RunAsync("compile-erc20.mjs", TimeSpan.FromSeconds(120));
        Assert.That(code, Is.Zero, $"solc-js could not compile tests/e2e/contracts/Erc20.sol:\n{stderr}");
        using (JsonDocument doc = JsonDocument.Parse(stdout))
        {
            _bytecode = doc.RootElement.GetProperty("bytecode").GetString();
        }

        _dataDir = Path.Combine(Path.GetTempPath(), "cere-e2e-nethereum-" + Guid.NewGuid().ToString("N"));
        (_node, _url) = await NodeProcess.StartAsync($"--dev --datadir \"{_dataDir}\" --rpc.port 0 --dev.period 0", TimeSpan.FromSeconds(90));
    }

    [OneTimeTearDown]
    public void StopNode()
    {
        _node?.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [TearDown]
    public void ShowNodeOutputOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && _node is not null)
        {
            TestContext.Out.WriteLine("node output:\n" + _node.Output);
        }
    }

    [Test]
    public async Task ChainIdIsTheDevChains()
    {
        Web3 web3 = Client(0);
        HexBigInteger id = await web3.Eth.ChainId.SendRequestAsync();
        Assert.That(id.Value, Is.EqualTo(ChainId));
        Assert.That(await web3.Net.Version.SendRequestAsync(), Is.EqualTo("4242"));
    }

    [Test]
    public async Task DevAccountsHoldTenThousandAtGenesis()
    {
        Web3 web3 = Client(0);
        for (int i = 0; i < DevKeys.Length; i++)
        {
            Account account = new(DevKeys[i].Key, ChainId);
            Assert.That(account.Address, Is.EqualTo(DevKeys[i].Address), $"key {i}");
            HexBigInteger balance = await web3.Eth.GetBalance.SendRequestAsync(account.Address, new BlockParameter(0));
            Assert.That(Web3.Convert.FromWei(balance.Value), Is.EqualTo(10_000m), $"account {i} at genesis");
        }
    }

    [Test]
    public async Task SignedEip1559TransferThroughTheTransactionManager()
    {
        Web3 web3 = Client(1);
        string from = DevKeys[1].Address;
        string to = Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress(); // a fresh, empty account
        BigInteger before = (await web3.Eth.GetBalance.SendRequestAsync(from)).Value;
        BigInteger value = Web3.Convert.ToWei(1.5m);
        HexBigInteger baseFee = (await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).BaseFeePerGas;
        TransactionInput input = new()
        {
            From = from,
            To = to,
            Value = new HexBigInteger(value),
            Gas = new HexBigInteger(21_000),
            Type = new HexBigInteger(2),
            MaxPriorityFeePerGas = new HexBigInteger(Web3.Convert.ToWei(1, UnitConversion.EthUnit.Gwei)),
            MaxFeePerGas = new HexBigInteger(baseFee.Value * 2 + Web3.Convert.ToWei(1, UnitConversion.EthUnit.Gwei)),
        };

        string hash = await web3.TransactionManager.SendTransactionAsync(input);
        TransactionReceipt receipt = await web3.TransactionManager.TransactionReceiptService.PollForReceiptAsync(hash);

        Assert.That(receipt.Status.Value, Is.EqualTo(BigInteger.One));
        Assert.That(receipt.Type.Value, Is.EqualTo(new BigInteger(2)));
        Assert.That(receipt.GasUsed.Value, Is.EqualTo(new BigInteger(21_000)));
        Transaction tx = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash);
        Assert.That(tx.From, Is.EqualTo(from).IgnoreCase);
        Assert.That(tx.Type.Value, Is.EqualTo(new BigInteger(2)));
        Assert.That(tx.MaxFeePerGas.Value, Is.EqualTo(input.MaxFeePerGas.Value));
        Assert.That((await web3.Eth.GetBalance.SendRequestAsync(to)).Value, Is.EqualTo(value));
        BigInteger after = (await web3.Eth.GetBalance.SendRequestAsync(from)).Value;
        Assert.That(before - after, Is.EqualTo(value + receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value));
    }

    [Test]
    public async Task DeployedErc20HasItsSupplyAndCode()
    {
        Web3 web3 = Client(8);
        string token = await Deployed();
        string code = await web3.Eth.GetCode.SendRequestAsync(token);
        Assert.That(code.Length, Is.GreaterThan(2), "runtime code is stored");
        BigInteger supply = await web3.Eth.GetContractQueryHandler<TotalSupplyFunction>().QueryAsync<BigInteger>(token, new TotalSupplyFunction());
        Assert.That(supply, Is.EqualTo(Supply));
    }

    [Test]
    public async Task TransferMovesTokensAndEmitsTransfer()
    {
        Web3 web3 = Client(8);
        string token = await Deployed();
        string to = DevKeys[2].Address;
        BigInteger before = await BalanceOf(web3, token, DevKeys[8].Address);
        BigInteger amount = 1234;

        TransactionReceipt receipt = await web3.Eth.GetContractTransactionHandler<TransferFunction>()
            .SendRequestAndWaitForReceiptAsync(token, new TransferFunction { To = to, Amount = amount });

        Assert.That(receipt.Status.Value, Is.EqualTo(BigInteger.One));
        List<EventLog<TransferEventDto>> events = receipt.DecodeAllEvents<TransferEventDto>();
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].Event.From, Is.EqualTo(DevKeys[8].Address).IgnoreCase);
        Assert.That(events[0].Event.To, Is.EqualTo(to).IgnoreCase);
        Assert.That(events[0].Event.Value, Is.EqualTo(amount));
        Assert.That(await BalanceOf(web3, token, DevKeys[8].Address), Is.EqualTo(before - amount));
        Assert.That(await BalanceOf(web3, token, to), Is.EqualTo(amount));

        // The same event through eth_getLogs: filtered by the indexed recipient, and all of them from genesis.
        Event<TransferEventDto> transferEvent = web3.Eth.GetEvent<TransferEventDto>(token);
        List<EventLog<TransferEventDto>> toRecipient = await transferEvent.GetAllChangesAsync(
            transferEvent.CreateFilterInput<object, string>(null!, to, BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        Assert.That(toRecipient, Has.Count.EqualTo(1));
        Assert.That(toRecipient[0].Log.TransactionHash, Is.EqualTo(receipt.TransactionHash));
        Assert.That(toRecipient[0].Log.BlockHash, Is.EqualTo(receipt.BlockHash));
        Assert.That(toRecipient[0].Event.Value, Is.EqualTo(amount));
        List<EventLog<TransferEventDto>> all = await transferEvent.GetAllChangesAsync(transferEvent.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        Assert.That(all.Select(e => e.Event.From.ToLowerInvariant()), Does.Contain("0x0000000000000000000000000000000000000000"), "the constructor's mint");
        Assert.That(all.Select(e => e.Log.TransactionHash), Does.Contain(receipt.TransactionHash));
    }

    [Test]
    public async Task RevertIsASmartContractRevertExceptionWithTheReason()
    {
        // Account 3 holds no tokens: transfer() fails its require.
        Web3 web3 = Client(3);
        string token = await Deployed();
        TransferFunction tooMuch = new() { To = DevKeys[4].Address, Amount = 1 };

        SmartContractRevertException? viaCall = Assert.ThrowsAsync<SmartContractRevertException>(async () =>
            await web3.Eth.GetContractQueryHandler<TransferFunction>().QueryAsync<bool>(token, tooMuch));
        Assert.That(viaCall!.RevertMessage, Is.EqualTo(Reason), "eth_call");

        SmartContractRevertException? viaEstimate = Assert.ThrowsAsync<SmartContractRevertException>(async () =>
            await web3.Eth.GetContractTransactionHandler<TransferFunction>().EstimateGasAsync(token, tooMuch));
        Assert.That(viaEstimate!.RevertMessage, Is.EqualTo(Reason), "eth_estimateGas");

        // Sending it estimates first, so the revert surfaces before anything is signed: nothing changes.
        HexBigInteger nonce = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(DevKeys[3].Address);
        Assert.ThrowsAsync<SmartContractRevertException>(async () =>
            await web3.Eth.GetContractTransactionHandler<TransferFunction>().SendRequestAndWaitForReceiptAsync(token, tooMuch));
        Assert.That((await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(DevKeys[3].Address)).Value, Is.EqualTo(nonce.Value));
    }

    [Test]
    public async Task EstimateGasIsEnoughAndAPlainTransferIs21000()
    {
        Web3 web3 = Client(8);
        string token = await Deployed();
        HexBigInteger plain = await web3.Eth.TransactionManager.EstimateGasAsync(new CallInput { From = DevKeys[8].Address, To = DevKeys[5].Address, Value = new HexBigInteger(1) });
        Assert.That(plain.Value, Is.EqualTo(new BigInteger(21_000)));

        TransferFunction transfer = new() { To = DevKeys[5].Address, Amount = 77 };
        var handler = web3.Eth.GetContractTransactionHandler<TransferFunction>();
        HexBigInteger estimate = await handler.EstimateGasAsync(token, transfer);
        Assert.That(estimate.Value, Is.InRange(new BigInteger(21_000), new BigInteger(100_000)));
        transfer.Gas = estimate.Value;
        TransactionReceipt receipt = await handler.SendRequestAndWaitForReceiptAsync(token, transfer);
        Assert.That(receipt.Status.Value, Is.EqualTo(BigInteger.One), "the estimate is enough gas");
        Assert.That(receipt.GasUsed.Value, Is.LessThanOrEqualTo(estimate.Value));
        Assert.That(estimate.Value - receipt.GasUsed.Value, Is.LessThan(new BigInteger(5_000)), "the estimate is close");
    }

    private Web3 Client(int account)
    {
        Assert.That(_url, Is.Not.Null, "the node did not start");
        Web3 web3 = new(new Account(DevKeys[account].Key, ChainId), _url!.ToString());
        web3.TransactionManager.UseLegacyAsDefault = false;
        // Receipts polled every 100 ms (the default waits seconds between polls).
        web3.TransactionManager.TransactionReceiptService = new Nethereum.RPC.TransactionReceipts.TransactionReceiptPollingService(web3.TransactionManager, 100);
        return web3;
    }

    // Deployed once (by account 8) for the tests that need it; a failed deployment fails each of them with its reason.
    private Task<string> Deployed() => _deployment ??= DeployAsync();

    private async Task<string> DeployAsync()
    {
        Web3 web3 = Client(8);
        Erc20Deployment deployment = new(_bytecode!) { Name = "Cere Test Token", Symbol = "CTT", Supply = Supply };
        TransactionReceipt receipt = await web3.Eth.GetContractDeploymentHandler<Erc20Deployment>().SendRequestAndWaitForReceiptAsync(deployment);
        Assert.That(receipt.Status.Value, Is.EqualTo(BigInteger.One), "deployment");
        Assert.That(receipt.ContractAddress, Is.Not.Null.And.Not.Empty);
        return receipt.ContractAddress;
    }

    private static Task<BigInteger> BalanceOf(Web3 web3, string token, string owner) =>
        web3.Eth.GetContractQueryHandler<BalanceOfFunction>().QueryAsync<BigInteger>(token, new BalanceOfFunction { Owner = owner });

    /// <summary>The ERC-20's constructor (name, symbol, supply) with the solc-js bytecode.</summary>
    public sealed class Erc20Deployment : ContractDeploymentMessage
    {
        /// <summary>Creates the message without bytecode (Nethereum's handlers need this constructor).</summary>
        public Erc20Deployment()
            : base(string.Empty)
        {
        }

        /// <summary>Creates the message for <paramref name="bytecode"/>.</summary>
        public Erc20Deployment(string bytecode)
            : base(bytecode)
        {
        }

        /// <summary>Token name.</summary>
        [Parameter("string", "name_", 1)]
        public string Name { get; set; } = "";

        /// <summary>Token symbol.</summary>
        [Parameter("string", "symbol_", 2)]
        public string Symbol { get; set; } = "";

        /// <summary>Initial supply, minted to the deployer.</summary>
        [Parameter("uint256", "supply", 3)]
        public BigInteger Supply { get; set; }
    }

    /// <summary>balanceOf(address) → uint256.</summary>
    [Function("balanceOf", "uint256")]
    public sealed class BalanceOfFunction : FunctionMessage
    {
        /// <summary>The holder.</summary>
        [Parameter("address", "", 1)]
        public string Owner { get; set; } = "";
    }

    /// <summary>totalSupply() → uint256.</summary>
    [Function("totalSupply", "uint256")]
    public sealed class TotalSupplyFunction : FunctionMessage
    {
    }

    /// <summary>transfer(address, uint256) → bool.</summary>
    [Function("transfer", "bool")]
    public sealed class TransferFunction : FunctionMessage
    {
        /// <summary>The recipient.</summary>
        [Parameter("address", "to", 1)]
        public string To { get; set; } = "";

        /// <summary>Token units.</summary>
        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }
    }

    /// <summary>Transfer(address indexed from, address indexed to, uint256 value).</summary>
    [Event("Transfer")]
    public sealed class TransferEventDto : IEventDTO
    {
        /// <summary>Sender (zero for a mint).</summary>
        [Parameter("address", "from", 1, true)]
        public string From { get; set; } = "";

        /// <summary>Recipient.</summary>
        [Parameter("address", "to", 2, true)]
        public string To { get; set; } = "";

        /// <summary>Token units.</summary>
        [Parameter("uint256", "value", 3, false)]
        public BigInteger Value { get; set; }
    }
}
