using System.Text.Json;
using Cere.Core;
using Cere.Storage.State;

namespace Cere.Chain.Rpc.Modules;

/// <summary>eth_getProof (EIP-1186): Merkle proofs of an account and some of its storage slots at a block.</summary>
public static class EthProofModule
{
    /// <summary>The most storage keys one request may ask for (a bound on the work a single call can cause).</summary>
    public const int MaxStorageKeys = 1024;

    /// <summary>Adds the method to <paramref name="registry"/>.</summary>
    public static void Register(RpcMethodRegistry registry, ChainReader reader)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(reader);
        registry.Register("eth_getProof", (args, w, _) =>
        {
            args.ExpectCount(3, 3);
            Address address = args.GetAddress(0);
            (UInt256[] slots, bool[] fullWidth) = StorageKeys(args);
            WorldState state = reader.State(args.GetBlock(2, BlockSelector.Latest));
            StateProof proof = state.GetProof(address, slots);
            Write(w, proof, fullWidth);
        });
    }

    private static void Write(Utf8JsonWriter w, StateProof proof, bool[] fullWidth)
    {
        Account account = proof.Account ?? Account.Empty;
        w.WriteStartObject();
        RpcJson.Address(w, "address", proof.Address);
        w.WritePropertyName("accountProof");
        WriteNodes(w, proof.AccountProof);
        RpcJson.Quantity(w, "balance", account.Balance);
        RpcJson.Hash(w, "codeHash", account.CodeHash);
        RpcJson.Quantity(w, "nonce", account.Nonce);
        RpcJson.Hash(w, "storageHash", account.StorageRoot);
        w.WriteStartArray("storageProof");
        Span<byte> word = stackalloc byte[32];
        for (int i = 0; i < proof.StorageProof.Count; i++)
        {
            StorageProof s = proof.StorageProof[i];
            w.WriteStartObject();

            // geth returns a 32-byte key as given and any shorter one as a quantity (EIP-1186 compatibility).
            if (fullWidth[i])
            {
                s.Key.WriteBigEndian(word);
                w.WriteString("key", Hex.Encode(word));
            }
            else
            {
                RpcJson.Quantity(w, "key", s.Key);
            }

            RpcJson.Quantity(w, "value", s.Value);
            w.WritePropertyName("proof");
            WriteNodes(w, s.Proof);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteNodes(Utf8JsonWriter w, IReadOnlyList<byte[]> nodes)
    {
        w.WriteStartArray();
        for (int i = 0; i < nodes.Count; i++)
        {
            w.WriteStringValue(Hex.Encode(nodes[i]));
        }

        w.WriteEndArray();
    }

    // Keys are hex of at most 32 bytes, left-padded (geth's decodeHash); odd digit counts are allowed.
    private static (UInt256[] Slots, bool[] FullWidth) StorageKeys(RpcParams args)
    {
        JsonElement keys = args[1];
        if (keys.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidArgument(1, "expected an array of storage keys");
        }

        int n = keys.GetArrayLength();
        if (n > MaxStorageKeys)
        {
            throw RpcException.InvalidArgument(1, $"too many storage keys ({n}), want at most {MaxStorageKeys}");
        }

        UInt256[] slots = new UInt256[n];
        bool[] fullWidth = new bool[n];
        int i = 0;
        foreach (JsonElement k in keys.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String)
            {
                throw RpcException.InvalidArgument(1, $"storage key {i}: expected a 0x-prefixed hex string");
            }

            string s = k.GetString()!;
            ReadOnlySpan<char> digits = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s.AsSpan(2) : s.AsSpan();
            if (digits.Length > 64)
            {
                throw RpcException.InvalidArgument(1, $"storage key {i}: hex string too long, want at most 32 bytes");
            }

            if (digits.IsEmpty || digits.ContainsAnyExcept(HexDigits))
            {
                throw RpcException.InvalidArgument(1, $"storage key {i}: invalid hex string {s}");
            }

            slots[i] = UInt256.Parse("0x" + digits.ToString());
            fullWidth[i] = digits.Length == 64;
            i++;
        }

        return (slots, fullWidth);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
