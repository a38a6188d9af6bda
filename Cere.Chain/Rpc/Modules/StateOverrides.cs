using System.Text.Json;
using Cere.Core;
using Cere.Storage.State;

namespace Cere.Chain.Rpc.Modules;

/// <summary>
/// The state-override set of eth_call and eth_estimateGas (geth's StateOverride): per address a balance, nonce,
/// code, and either the whole storage ("state") or some slots ("stateDiff"). Applied to a throw-away state only.
/// </summary>
public sealed class StateOverrides
{
    private readonly List<AccountOverride> _accounts;

    private StateOverrides(List<AccountOverride> accounts) => _accounts = accounts;

    /// <summary>No overrides.</summary>
    public static readonly StateOverrides None = new([]);

    /// <summary>Parses argument <paramref name="index"/> (absent or null: <see cref="None"/>).</summary>
    /// <exception cref="RpcException">A malformed override (-32602, naming the address and field).</exception>
    public static StateOverrides Parse(RpcParams args, int index)
    {
        if (!args.Has(index))
        {
            return None;
        }

        JsonElement o = args[index];
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidArgument(index, "expected a state override object keyed by address");
        }

        List<AccountOverride> list = [];
        foreach (JsonProperty p in o.EnumerateObject())
        {
            if (!Address.TryParse(p.Name, out Address address, out string? error))
            {
                throw RpcException.InvalidArgument(index, $"state override key {p.Name}: {error}");
            }

            if (p.Value.ValueKind != JsonValueKind.Object)
            {
                throw RpcException.InvalidArgument(index, $"{address}: expected an account override object");
            }

            JsonElement a = p.Value;
            if (a.TryGetProperty("movePrecompileToAddress", out JsonElement move) && move.ValueKind != JsonValueKind.Null)
            {
                throw RpcException.InvalidArgument(index, $"{address}: movePrecompileToAddress is not supported");
            }

            Dictionary<UInt256, UInt256>? state = Slots(a, "state", address, index);
            Dictionary<UInt256, UInt256>? diff = Slots(a, "stateDiff", address, index);
            if (state is not null && diff is not null)
            {
                throw RpcException.InvalidArgument(index, $"account {address} has both 'state' and 'stateDiff'");
            }

            list.Add(new AccountOverride(
                address,
                CallRequestJson.Quantity(a, "balance", index),
                CallRequestJson.UInt64(a, "nonce", index),
                CallRequestJson.Data(a, "code", index),
                state,
                diff));
        }

        return new StateOverrides(list);
    }

    /// <summary>True when there is nothing to apply.</summary>
    public bool IsEmpty => _accounts.Count == 0;

    /// <summary>
    /// Writes the overrides into <paramref name="state"/> and ends the "transaction" that made them, so the call
    /// sees them as a previous transaction's result (geth finalises them the same way).
    /// </summary>
    public void ApplyTo(IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (AccountOverride o in _accounts)
        {
            if (o.State is not null)
            {
                // The whole storage is replaced: CreateAccount wipes storage and code and keeps only the balance.
                ulong nonce = state.GetNonce(o.Address);
                byte[] code = state.GetCode(o.Address);
                state.CreateAccount(o.Address);
                state.SetNonce(o.Address, nonce);
                if (code.Length > 0)
                {
                    state.SetCode(o.Address, code);
                }
            }

            if (o.Nonce is ulong n)
            {
                state.SetNonce(o.Address, n);
            }

            if (o.Code is byte[] c)
            {
                state.SetCode(o.Address, c);
            }

            if (o.Balance is UInt256 b)
            {
                state.SubtractBalance(o.Address, state.GetBalance(o.Address));
                state.AddBalance(o.Address, b);
            }

            foreach (KeyValuePair<UInt256, UInt256> s in (IEnumerable<KeyValuePair<UInt256, UInt256>>?)o.State ?? o.StateDiff ?? [])
            {
                state.SetStorage(o.Address, s.Key, s.Value);
            }
        }

        state.FinalizeTransaction();
    }

    private static Dictionary<UInt256, UInt256>? Slots(JsonElement a, string field, Address address, int index)
    {
        if (!a.TryGetProperty(field, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidArgument(index, $"{address}.{field}: expected an object of 32-byte slot → 32-byte value");
        }

        Dictionary<UInt256, UInt256> slots = [];
        foreach (JsonProperty s in e.EnumerateObject())
        {
            slots[Word(s.Name, $"{address}.{field} key", index)] = Word(
                s.Value.ValueKind == JsonValueKind.String ? s.Value.GetString()! : throw RpcException.InvalidArgument(index, $"{address}.{field}[{s.Name}]: expected a 0x-prefixed hex string"),
                $"{address}.{field}[{s.Name}]",
                index);
        }

        return slots;
    }

    // Slots and values are common.Hash in geth: exactly 32 bytes of hex.
    private static UInt256 Word(string text, string what, int index)
    {
        byte[] b;
        try
        {
            b = RpcParams.ParseData(text, index);
        }
        catch (RpcException)
        {
            throw RpcException.InvalidArgument(index, $"{what}: invalid hex string {text}");
        }

        return b.Length == 32 ? new UInt256(b) : throw RpcException.InvalidArgument(index, $"{what}: hex string has length {b.Length * 2}, want 64");
    }

    private sealed record AccountOverride(Address Address, UInt256? Balance, ulong? Nonce, byte[]? Code, Dictionary<UInt256, UInt256>? State, Dictionary<UInt256, UInt256>? StateDiff);
}
