using System.Text;
using System.Text.Json;
using Cere.Chain.Rpc;

namespace Cere.Chain.Tests.Rpc;

/// <summary>JSON-RPC 2.0 framing: errors for every kind of malformed request, batches, notifications, limits.</summary>
public class JsonRpcProcessorTests
{
    private static JsonRpcProcessor Processor(RpcLimits? limits = null)
    {
        RpcMethodRegistry methods = new();
        methods.Register("test_echo", (args, w, _) => args[0].WriteTo(w));
        methods.Register("test_quantity", (args, w, _) => w.WriteStringValue(args.GetQuantity(0).ToHexQuantity()));
        methods.Register("test_fail", (_, _, _) => throw new RpcException(RpcErrorCodes.ExecutionReverted, "execution reverted: nope", "0x08c379a0"));
        methods.Register("test_bug", (_, _, _) => throw new InvalidOperationException("boom"));
        return new JsonRpcProcessor(methods, limits ?? new RpcLimits());
    }

    private static JsonElement Call(string request, RpcLimits? limits = null)
    {
        byte[]? response = Processor(limits).Process(Encoding.UTF8.GetBytes(request), RpcCallContext.Http);
        Assert.That(response, Is.Not.Null, "a response was expected");
        return JsonDocument.Parse(response!).RootElement.Clone();
    }

    private static int ErrorCode(JsonElement response) => response.GetProperty("error").GetProperty("code").GetInt32();

    [Test]
    public void ResultEchoesIdAndVersion()
    {
        JsonElement r = Call("""{"jsonrpc":"2.0","id":"abc","method":"test_echo","params":[{"x":[1,2]}]}""");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("jsonrpc").GetString(), Is.EqualTo("2.0"));
            Assert.That(r.GetProperty("id").GetString(), Is.EqualTo("abc"));
            Assert.That(r.GetProperty("result").GetProperty("x")[1].GetInt32(), Is.EqualTo(2));
        });
    }

    [TestCase("{not json", RpcErrorCodes.ParseError)]
    [TestCase("42", RpcErrorCodes.InvalidRequest)]
    [TestCase("""{"jsonrpc":"1.0","id":1,"method":"test_echo"}""", RpcErrorCodes.InvalidRequest)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":7}""", RpcErrorCodes.InvalidRequest)]
    [TestCase("""{"jsonrpc":"2.0","id":{"a":1},"method":"test_echo"}""", RpcErrorCodes.InvalidRequest)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"eth_nope"}""", RpcErrorCodes.MethodNotFound)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"test_quantity","params":["12"]}""", RpcErrorCodes.InvalidParams)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"test_quantity","params":["0x012"]}""", RpcErrorCodes.InvalidParams)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"test_quantity","params":[]}""", RpcErrorCodes.InvalidParams)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"test_quantity","params":{"a":1}}""", RpcErrorCodes.InvalidParams)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"test_bug"}""", RpcErrorCodes.InternalError)]
    [TestCase("[]", RpcErrorCodes.InvalidRequest)]
    public void MalformedRequestsGetTheSpecificError(string request, int code) =>
        Assert.That(ErrorCode(Call(request)), Is.EqualTo(code));

    [Test]
    public void RevertCarriesData()
    {
        JsonElement e = Call("""{"jsonrpc":"2.0","id":1,"method":"test_fail"}""").GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(3));
            Assert.That(e.GetProperty("data").GetString(), Is.EqualTo("0x08c379a0"));
        });
    }

    [Test]
    public void BatchAnswersEachCallInOrderAndSkipsNotifications()
    {
        JsonElement r = Call("""
            [{"jsonrpc":"2.0","id":1,"method":"test_quantity","params":["0x10"]},
             {"jsonrpc":"2.0","method":"test_echo","params":[1]},
             5,
             {"jsonrpc":"2.0","id":2,"method":"missing"}]
            """);
        Assert.Multiple(() =>
        {
            Assert.That(r.GetArrayLength(), Is.EqualTo(3));
            Assert.That(r[0].GetProperty("result").GetString(), Is.EqualTo("0x10"));
            Assert.That(ErrorCode(r[1]), Is.EqualTo(RpcErrorCodes.InvalidRequest));
            Assert.That(ErrorCode(r[2]), Is.EqualTo(RpcErrorCodes.MethodNotFound));
        });
    }

    [Test]
    public void NotificationGetsNoResponse()
    {
        byte[]? response = Processor().Process("""{"jsonrpc":"2.0","method":"test_echo","params":[1]}"""u8.ToArray(), RpcCallContext.Http);
        Assert.That(response, Is.Null);
    }

    [Test]
    public void OversizedBatchIsRefused()
    {
        string batch = "[" + string.Join(",", Enumerable.Repeat("""{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]}""", 11)) + "]";
        Assert.That(ErrorCode(Call(batch, new RpcLimits { MaxBatchLength = 10 })), Is.EqualTo(RpcErrorCodes.LimitExceeded));
    }

    [Test]
    public void DeepNestingIsAParseErrorNotACrash()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.That(ErrorCode(Call(deep)), Is.EqualTo(RpcErrorCodes.ParseError));
    }
}
