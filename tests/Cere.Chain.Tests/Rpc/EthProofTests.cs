using System.Text.Json;
using Cere.Core;
using Cere.Storage.State;
using Cere.Storage.Trie;
using Nethereum.RLP;

namespace Cere.Chain.Tests.Rpc;

/// <summary>
/// eth_getProof through the JSON-RPC processor. Every proof is checked twice against the stateRoot of the block
/// header as eth_getBlockByNumber returns it: by Cere.Storage's ProofVerifier, and by a separate trie walk in this
/// file that hashes with Nethereum's Keccak and decodes nodes with Nethereum's RLP.
/// </summary>
[TestFixture]
public sealed class EthProofTests
{
    private CallTestNode _node = null!;
    private Address _target;

    [SetUp]
    public void Start()
    {
        _node = new CallTestNode();
        _target = _node.Deploy();
        for (ulong k = 1; k <= 3; k++)
        {
            Assert.That(_node.Mine(_node.Sign(_target, Abi.Call("set(uint256,uint256)", k, 100 + k), 200_000)).GetProperty("status").GetString(), Is.EqualTo("0x1"));
        }
    }

    private JsonElement Proof(Address a, string keysJson, string block = "\"latest\"") =>
        _node.Result("eth_getProof", $"[\"{a}\", {keysJson}, {block}]");

    private Hash256 StateRoot(string block) =>
        new(Hex.Decode(_node.Result("eth_getBlockByNumber", $"[{block}, false]").GetProperty("stateRoot").GetString()!));

    [Test]
    public void ContractProofVerifiesAgainstTheHeaderStateRoot()
    {
        UInt256 slot1 = Abi.MappingSlot(1, 0);
        UInt256 slot3 = Abi.MappingSlot(3, 0);
        UInt256 absent = Abi.MappingSlot(99, 0);
        JsonElement p = Proof(_target, $"[\"{Abi.Hex32(slot1)}\", \"{Abi.Hex32(slot3)}\", \"{Abi.Hex32(absent)}\", \"0x1\"]");
        Hash256 root = StateRoot("\"latest\"");

        // The fields the account proof carries.
        Assert.That(p.GetProperty("address").GetString(), Is.EqualTo(_target.ToString()));
        Assert.That(p.GetProperty("nonce").GetString(), Is.EqualTo("0x1"), "EIP-161: a contract starts at nonce 1");
        Assert.That(p.GetProperty("balance").GetString(), Is.EqualTo("0x0"));
        string runtime = CallTestNode.Artefact.GetProperty("runtime").GetString()!;
        Assert.That(p.GetProperty("codeHash").GetString(), Is.EqualTo(Hex.Encode(Nethereum.Util.Sha3Keccack.Current.CalculateHash(Hex.Decode(runtime)))));

        JsonElement sp = p.GetProperty("storageProof");
        Assert.That(sp[0].GetProperty("value").GetString(), Is.EqualTo("0x65"));
        Assert.That(sp[1].GetProperty("value").GetString(), Is.EqualTo("0x67"));
        Assert.That(sp[2].GetProperty("value").GetString(), Is.EqualTo("0x0"));
        Assert.That(sp[3].GetProperty("value").GetString(), Is.EqualTo("0x3"), "slot 1 is the counter");
        Assert.That(sp[0].GetProperty("key").GetString(), Is.EqualTo(Abi.Hex32(slot1)), "a 32-byte key comes back as given");
        Assert.That(sp[3].GetProperty("key").GetString(), Is.EqualTo("0x1"), "a short key comes back as a quantity");

        ProofVerifier.Verify(root, ToStateProof(p));
        IndependentlyVerify(root, p);
    }

    [Test]
    public void MissingAccountIsProvenAbsent()
    {
        Address nobody = Address.Parse("0x5000000000000000000000000000000000000005");
        JsonElement p = Proof(nobody, "[\"0x0\"]");
        Assert.That(p.GetProperty("balance").GetString(), Is.EqualTo("0x0"));
        Assert.That(p.GetProperty("nonce").GetString(), Is.EqualTo("0x0"));
        Assert.That(p.GetProperty("codeHash").GetString(), Is.EqualTo(Hash256.EmptyKeccak.ToString()));
        Assert.That(p.GetProperty("storageHash").GetString(), Is.EqualTo(Hash256.EmptyTrieRoot.ToString()));
        Assert.That(p.GetProperty("storageProof")[0].GetProperty("proof").GetArrayLength(), Is.EqualTo(0));
        Hash256 root = StateRoot("\"latest\"");
        ProofVerifier.Verify(root, ToStateProof(p));
        IndependentlyVerify(root, p);
    }

    [Test]
    public void FundedAccountProofShowsItsBalance()
    {
        Address sender = CallTestNode.Key.Address;
        JsonElement p = Proof(sender, "[]");
        Assert.That(p.GetProperty("balance").GetString(), Is.EqualTo(_node.Result("eth_getBalance", $"[\"{sender}\", \"latest\"]").GetString()));
        Assert.That(p.GetProperty("nonce").GetString(), Is.EqualTo("0x4"));
        Hash256 root = StateRoot("\"latest\"");
        ProofVerifier.Verify(root, ToStateProof(p));
        IndependentlyVerify(root, p);
    }

    [Test]
    public void ProofAtAnEarlierBlockProvesThatBlocksValue()
    {
        // Block 2 wrote values[1] only: values[3] is still absent there.
        UInt256 slot3 = Abi.MappingSlot(3, 0);
        JsonElement p = Proof(_target, $"[\"{Abi.Hex32(slot3)}\"]", "\"0x2\"");
        Assert.That(p.GetProperty("storageProof")[0].GetProperty("value").GetString(), Is.EqualTo("0x0"));
        Hash256 root = StateRoot("\"0x2\"");
        Assert.That(root, Is.Not.EqualTo(StateRoot("\"latest\"")));
        ProofVerifier.Verify(root, ToStateProof(p));
        IndependentlyVerify(root, p);
    }

    [Test]
    public void TamperedProofIsRejectedByBothVerifiers()
    {
        JsonElement p = Proof(_target, $"[\"{Abi.Hex32(Abi.MappingSlot(1, 0))}\"]");
        Hash256 root = StateRoot("\"latest\"");
        StateProof good = ToStateProof(p);
        StorageProof s = good.StorageProof[0];
        StateProof lying = good with { StorageProof = [s with { Value = s.Value + UInt256.One }] };
        Assert.Throws<InvalidProofException>(() => ProofVerifier.Verify(root, lying));

        byte[] leaf = (byte[])good.AccountProof[^1].Clone();
        leaf[^1] ^= 1;
        List<byte[]> nodes = [.. good.AccountProof];
        nodes[^1] = leaf;
        Assert.That(Walk(root.ToArray(), Nethereum.Util.Sha3Keccack.Current.CalculateHash(_target.ToArray()), nodes), Is.EqualTo(WalkResult.Broken));
    }

    [TestCase("[\"0x1234\", [], \"latest\"]", "invalid argument 0: ")]
    [TestCase("[\"0x5000000000000000000000000000000000000005\", \"0x1\", \"latest\"]", "invalid argument 1: expected an array of storage keys")]
    [TestCase("[\"0x5000000000000000000000000000000000000005\", [\"0x1000000000000000000000000000000000000000000000000000000000000000000\"], \"latest\"]", "invalid argument 1: storage key 0: hex string too long, want at most 32 bytes")]
    [TestCase("[\"0x5000000000000000000000000000000000000005\", [\"0xzz\"], \"latest\"]", "invalid argument 1: storage key 0: invalid hex string 0xzz")]
    [TestCase("[\"0x5000000000000000000000000000000000000005\", [5], \"latest\"]", "invalid argument 1: storage key 0: expected a 0x-prefixed hex string")]
    [TestCase("[\"0x5000000000000000000000000000000000000005\", []]", "missing value for required argument 2")]
    public void BadParamsAreInvalidParams(string args, string message)
    {
        JsonElement e = _node.Error("eth_getProof", args);
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32602));
        Assert.That(e.GetProperty("message").GetString(), Does.StartWith(message));
    }

    [Test]
    public void UnknownBlockIsHeaderNotFound()
    {
        JsonElement e = _node.Error("eth_getProof", $"[\"{_target}\", [], \"0x99\"]");
        Assert.That(e.GetProperty("code").GetInt32(), Is.EqualTo(-32000));
        Assert.That(e.GetProperty("message").GetString(), Is.EqualTo("header not found"));
    }

    private static StateProof ToStateProof(JsonElement p)
    {
        Address address = Address.Parse(p.GetProperty("address").GetString()!);
        Account account = new(
            ulong.Parse(p.GetProperty("nonce").GetString()!.AsSpan(2), System.Globalization.NumberStyles.HexNumber),
            UInt256.Parse(p.GetProperty("balance").GetString()!),
            new Hash256(Hex.Decode(p.GetProperty("storageHash").GetString()!)),
            new Hash256(Hex.Decode(p.GetProperty("codeHash").GetString()!)));
        List<StorageProof> storage = [];
        foreach (JsonElement s in p.GetProperty("storageProof").EnumerateArray())
        {
            storage.Add(new StorageProof(UInt256.Parse(s.GetProperty("key").GetString()!), UInt256.Parse(s.GetProperty("value").GetString()!), Nodes(s.GetProperty("proof"))));
        }

        // A proof of absence carries the default fields; the verifier expects no account then.
        Account? claimed = account == Account.Empty && !IsPresent(p) ? null : account;
        return new StateProof(address, claimed, Nodes(p.GetProperty("accountProof")), storage);
    }

    private static bool IsPresent(JsonElement p)
    {
        byte[] root = Hex.Decode(p.GetProperty("accountProof")[0].GetString()!);
        byte[] key = Nethereum.Util.Sha3Keccack.Current.CalculateHash(Hex.Decode(p.GetProperty("address").GetString()!));
        return Walk(Nethereum.Util.Sha3Keccack.Current.CalculateHash(root), key, Nodes(p.GetProperty("accountProof")), out _) == WalkResult.Found;
    }

    private static List<byte[]> Nodes(JsonElement array)
    {
        List<byte[]> nodes = [];
        foreach (JsonElement n in array.EnumerateArray())
        {
            nodes.Add(Hex.Decode(n.GetString()!));
        }

        return nodes;
    }

    // The independent check: Nethereum's Keccak and RLP only, from the header's stateRoot down to the account and each slot.
    private static void IndependentlyVerify(Hash256 stateRoot, JsonElement p)
    {
        byte[] accountKey = Nethereum.Util.Sha3Keccack.Current.CalculateHash(Hex.Decode(p.GetProperty("address").GetString()!));
        WalkResult r = Walk(stateRoot.ToArray(), accountKey, Nodes(p.GetProperty("accountProof")), out byte[]? leaf);
        Assert.That(r, Is.Not.EqualTo(WalkResult.Broken), "account proof does not hash up to the header's stateRoot");
        byte[] storageRoot;
        if (r == WalkResult.Found)
        {
            RLPCollection account = (RLPCollection)RLP.Decode(leaf!);
            Assert.That(Quantity(account[0].RLPData), Is.EqualTo(Quantity(p.GetProperty("nonce").GetString()!)));
            Assert.That(Quantity(account[1].RLPData), Is.EqualTo(Quantity(p.GetProperty("balance").GetString()!)));
            Assert.That(Hex.Encode(account[2].RLPData), Is.EqualTo(p.GetProperty("storageHash").GetString()));
            Assert.That(Hex.Encode(account[3].RLPData), Is.EqualTo(p.GetProperty("codeHash").GetString()));
            storageRoot = account[2].RLPData;
        }
        else
        {
            Assert.That(p.GetProperty("balance").GetString(), Is.EqualTo("0x0"));
            storageRoot = Hash256.EmptyTrieRoot.ToArray();
        }

        foreach (JsonElement s in p.GetProperty("storageProof").EnumerateArray())
        {
            byte[] slot = new byte[32];
            UInt256.Parse(s.GetProperty("key").GetString()!).WriteBigEndian(slot);
            List<byte[]> proof = Nodes(s.GetProperty("proof"));
            if (proof.Count == 0)
            {
                Assert.That(Hex.Encode(storageRoot), Is.EqualTo(Hash256.EmptyTrieRoot.ToString()), "an empty storage proof needs an empty storage trie");
                Assert.That(s.GetProperty("value").GetString(), Is.EqualTo("0x0"));
                continue;
            }

            WalkResult sr = Walk(storageRoot, Nethereum.Util.Sha3Keccack.Current.CalculateHash(slot), proof, out byte[]? value);
            Assert.That(sr, Is.Not.EqualTo(WalkResult.Broken), "storage proof does not hash up to the account's storageHash");
            string expected = sr == WalkResult.Found ? "0x" + Quantity(RLP.Decode(value!).RLPData).ToString("x") : "0x0";
            Assert.That(s.GetProperty("value").GetString(), Is.EqualTo(expected));
        }
    }

    private enum WalkResult
    {
        Found,
        Absent,
        Broken,
    }

    private static WalkResult Walk(byte[] root, byte[] key, List<byte[]> proof) => Walk(root, key, proof, out _);

    // Follows the key's nibbles from the root through branch, extension and leaf nodes (Yellow Paper, appendix D).
    private static WalkResult Walk(byte[] root, byte[] key, List<byte[]> proof, out byte[]? value)
    {
        value = null;
        Dictionary<string, byte[]> byHash = [];
        foreach (byte[] n in proof)
        {
            byHash[Convert.ToHexString(Nethereum.Util.Sha3Keccack.Current.CalculateHash(n))] = n;
        }

        byte[] nibbles = new byte[key.Length * 2];
        for (int i = 0; i < key.Length; i++)
        {
            nibbles[2 * i] = (byte)(key[i] >> 4);
            nibbles[(2 * i) + 1] = (byte)(key[i] & 0xF);
        }

        byte[] want = root;
        int at = 0;
        while (true)
        {
            if (!byHash.TryGetValue(Convert.ToHexString(want), out byte[]? node))
            {
                return WalkResult.Broken;
            }

            RLPCollection items = (RLPCollection)RLP.Decode(node);
            byte[] next;
            if (items.Count == 17)
            {
                next = items[nibbles[at]].RLPData ?? [];
                at++;
            }
            else if (items.Count == 2)
            {
                byte[] hp = items[0].RLPData ?? [];
                bool leaf = (hp[0] & 0x20) != 0;
                List<byte> path = [];
                if ((hp[0] & 0x10) != 0)
                {
                    path.Add((byte)(hp[0] & 0xF));
                }

                for (int i = 1; i < hp.Length; i++)
                {
                    path.Add((byte)(hp[i] >> 4));
                    path.Add((byte)(hp[i] & 0xF));
                }

                bool matches = at + path.Count <= nibbles.Length && nibbles.AsSpan(at, path.Count).SequenceEqual(path.ToArray());
                if (leaf)
                {
                    if (matches && at + path.Count == nibbles.Length)
                    {
                        value = items[1].RLPData;
                        return WalkResult.Found;
                    }

                    return WalkResult.Absent;
                }

                if (!matches)
                {
                    return WalkResult.Absent;
                }

                at += path.Count;
                next = items[1].RLPData ?? [];
            }
            else
            {
                return WalkResult.Broken;
            }

            if (next.Length == 0)
            {
                return WalkResult.Absent;
            }

            Assert.That(next, Has.Length.EqualTo(32), "this walker follows hashed child references only (no node here is under 32 bytes)");
            want = next;
        }
    }

    private static System.Numerics.BigInteger Quantity(byte[]? bigEndian) =>
        bigEndian is null || bigEndian.Length == 0 ? System.Numerics.BigInteger.Zero : new System.Numerics.BigInteger(bigEndian, isUnsigned: true, isBigEndian: true);

    private static System.Numerics.BigInteger Quantity(string hex) =>
        System.Numerics.BigInteger.Parse("0" + hex[2..], System.Globalization.NumberStyles.HexNumber);
}
