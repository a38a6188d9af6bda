using System.Buffers;
using System.Text.Json;

namespace Cere.Chain.Rpc;

/// <summary>
/// JSON-RPC 2.0 over any transport: parses a request or a batch, dispatches to the registry, and writes the
/// response. Malformed input gets the specification's error objects; nothing a client sends makes it throw.
/// </summary>
public sealed class JsonRpcProcessor
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private readonly RpcMethodRegistry _methods;
    private readonly RpcLimits _limits;

    /// <summary>Creates a processor over a method registry.</summary>
    public JsonRpcProcessor(RpcMethodRegistry methods, RpcLimits limits)
    {
        _methods = methods ?? throw new ArgumentNullException(nameof(methods));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
    }

    /// <summary>Raised after every call with the method name and whether it failed (metrics, logs).</summary>
    public event Action<string, bool>? CallCompleted;

    /// <summary>Processes one request body; returns the response, or null when every call was a notification.</summary>
    public byte[]? Process(ReadOnlyMemory<byte> body, RpcCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArrayBufferWriter<byte> output = new(256);
        using (Utf8JsonWriter w = new(output, WriterOptions))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                WriteError(w, default, RpcErrorCodes.ParseError, $"parse error: {e.Message}", null);
                w.Flush();
                return output.WrittenSpan.ToArray();
            }

            using (doc)
            {
                JsonElement root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    if (!ProcessBatch(root, w, output, context))
                    {
                        return null;
                    }
                }
                else if (!ProcessCall(root, w, context))
                {
                    return null;
                }
            }

            w.Flush();
        }

        return output.WrittenSpan.ToArray();
    }

    private bool ProcessBatch(JsonElement batch, Utf8JsonWriter w, ArrayBufferWriter<byte> output, RpcCallContext context)
    {
        int length = batch.GetArrayLength();
        if (length == 0)
        {
            WriteError(w, default, RpcErrorCodes.InvalidRequest, "empty batch", null);
            return true;
        }

        if (length > _limits.MaxBatchLength)
        {
            WriteError(w, default, RpcErrorCodes.LimitExceeded, $"batch too large: {length} calls, at most {_limits.MaxBatchLength}", null);
            return true;
        }

        w.WriteStartArray();
        bool any = false;
        foreach (JsonElement call in batch.EnumerateArray())
        {
            w.Flush();
            if (output.WrittenCount > _limits.MaxBatchResponseBytes)
            {
                JsonElement id = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("id", out JsonElement i) ? i : default;
                WriteError(w, id, RpcErrorCodes.LimitExceeded, "response too large", null);
                any = true;
                continue;
            }

            any |= ProcessCall(call, w, context);
        }

        w.WriteEndArray();
        return any;
    }

    /// <summary>Processes one call object; returns false for a notification (no response written).</summary>
    private bool ProcessCall(JsonElement call, Utf8JsonWriter w, RpcCallContext context)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            WriteError(w, default, RpcErrorCodes.InvalidRequest, "invalid request: not a JSON object", null);
            return true;
        }

        bool hasId = call.TryGetProperty("id", out JsonElement id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            WriteError(w, default, RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, a number or null", null);
            return true;
        }

        if (!call.TryGetProperty("jsonrpc", out JsonElement version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            WriteError(w, id, RpcErrorCodes.InvalidRequest, "invalid request: jsonrpc must be \"2.0\"", null);
            return true;
        }

        if (!call.TryGetProperty("method", out JsonElement methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            WriteError(w, id, RpcErrorCodes.InvalidRequest, "invalid request: method must be a string", null);
            return true;
        }

        string method = methodElement.GetString()!;
        if (!_methods.TryGet(method, out RpcHandler handler))
        {
            if (hasId)
            {
                WriteError(w, id, RpcErrorCodes.MethodNotFound, $"the method {method} does not exist/is not available", null);
            }

            CallCompleted?.Invoke(method, true);
            return hasId;
        }

        ArrayBufferWriter<byte> result = new(64);
        RpcException? error = null;
        try
        {
            RpcParams args = new(call.TryGetProperty("params", out JsonElement p) ? p : null);
            using Utf8JsonWriter rw = new(result, WriterOptions);
            handler(args, rw, context);
            rw.Flush();
        }
        catch (RpcException e)
        {
            error = e;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A handler bug must not take the server down; the client sees an internal error.
            error = new RpcException(RpcErrorCodes.InternalError, $"internal error: {e.GetType().Name}: {e.Message}");
        }

        CallCompleted?.Invoke(method, error is not null);
        if (!hasId)
        {
            return false;
        }

        if (error is not null)
        {
            WriteError(w, id, error.Code, error.Message, error.Data0x);
            return true;
        }

        w.WriteStartObject();
        w.WriteString("jsonrpc"u8, "2.0"u8);
        w.WritePropertyName("id"u8);
        id.WriteTo(w);
        w.WritePropertyName("result"u8);
        w.WriteRawValue(result.WrittenSpan, skipInputValidation: true);
        w.WriteEndObject();
        return true;
    }

    private static void WriteError(Utf8JsonWriter w, JsonElement id, int code, string message, string? data)
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc"u8, "2.0"u8);
        w.WritePropertyName("id"u8);
        if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            id.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteStartObject("error"u8);
        w.WriteNumber("code"u8, code);
        w.WriteString("message"u8, message);
        if (data is not null)
        {
            w.WriteString("data"u8, data);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
