using Cere.Chain.TxPool;
using Cere.Core;
using Cere.Storage.State;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_getBalance, eth_getTransactionCount, eth_getCode, eth_getStorageAt.</summary>
public static class EthStateModule
{
    /// <summary>Adds the methods to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, ChainReader reader, TransactionPool pool)
    {
        registry.Register("eth_getBalance", (args, w, _) =>
        {
            args.ExpectCount(1, 2);
            Address a = args.GetAddress(0);
            WorldState s = reader.State(args.GetBlock(1, BlockSelector.Latest));
            w.WriteStringValue(s.GetBalance(a).ToHexQuantity());
        });
        registry.Register("eth_getTransactionCount", (args, w, _) =>
        {
            args.ExpectCount(1, 2);
            Address a = args.GetAddress(0);
            BlockSelector sel = args.GetBlock(1, BlockSelector.Latest);
            ulong nonce = reader.State(sel).GetNonce(a);
            if (sel.Kind == BlockSelectorKind.Pending)
            {
                nonce = pool.PendingNonce(a, nonce);
            }

            RpcJson.Quantity(w, nonce);
        });
        registry.Register("eth_getCode", (args, w, _) =>
        {
            args.ExpectCount(1, 2);
            Address a = args.GetAddress(0);
            w.WriteStringValue(Hex.Encode(reader.State(args.GetBlock(1, BlockSelector.Latest)).GetCode(a)));
        });
        registry.Register("eth_getStorageAt", (args, w, _) =>
        {
            args.ExpectCount(2, 3);
            Address a = args.GetAddress(0);
            UInt256 slot = StorageSlot(args);
            UInt256 v = reader.State(args.GetBlock(2, BlockSelector.Latest)).GetStorage(a, slot);
            Span<byte> word = stackalloc byte[32];
            v.WriteBigEndian(word);
            w.WriteStringValue(Hex.Encode(word));
        });
    }

    // geth takes the slot as any hex of up to 32 bytes (ethers sends a quantity, others a padded word).
    private static UInt256 StorageSlot(RpcParams args)
    {
        if (args[1].ValueKind != System.Text.Json.JsonValueKind.String)
        {
            throw RpcException.InvalidArgument(1, "json: cannot unmarshal non-string into Go value of type string");
        }

        string s = args[1].GetString()!;
        ReadOnlySpan<char> digits = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s.AsSpan(2) : s.AsSpan();
        if (digits.IsEmpty || digits.Length > 64 || digits.ContainsAnyExcept(HexDigits))
        {
            throw RpcException.InvalidArgument(1, "unable to decode storage key: hex string invalid");
        }

        return UInt256.Parse("0x" + digits.ToString());
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
