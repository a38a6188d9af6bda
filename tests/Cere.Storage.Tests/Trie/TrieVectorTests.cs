using System.Text.Json;
using Cere.Core;
using Cere.Core.Crypto;
using Cere.Storage.Db;
using Cere.Storage.Trie;
using Cere.Tests.Shared;

namespace Cere.Storage.Tests.Trie;

/// <summary>ethereum/tests TrieTests: every entry of every file (plain, secure, any-order, hex-encoded secure) must give its root.</summary>
public sealed class TrieVectorTests
{
    private static IEnumerable<TestCaseData> Fixtures() => TrieFixture.All();

    /// <summary>Only the "any order" entries (their input is a set): for the ordered ones order is part of the test.</summary>
    private static IEnumerable<TestCaseData> AnyOrderFixtures()
    {
        foreach (TestCaseData data in TrieFixture.All())
        {
            if (((TrieFixture)data.Arguments[0]!).AnyOrder)
            {
                yield return data;
            }
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void RootMatches(TrieFixture fixture)
    {
        PatriciaTrie trie = new();
        Apply(trie, fixture, fixture.Operations);
        Assert.That(trie.ComputeRoot(), Is.EqualTo(fixture.Root));
    }

    [TestCaseSource(nameof(Fixtures))]
    public void RootSurvivesCommitAndReopen(TrieFixture fixture)
    {
        MemoryStore db = new();
        TrieNodeStore store = new(db, 0);
        PatriciaTrie trie = new(store, Hash256.EmptyTrieRoot);
        Apply(trie, fixture, fixture.Operations);
        using IWriteBatch batch = db.StartBatch();
        Hash256 root = trie.Commit(batch);
        batch.Write();
        Assert.That(root, Is.EqualTo(fixture.Root));

        // Reopened from the database alone, every surviving key reads back and the root is the same.
        PatriciaTrie reopened = new(new TrieNodeStore(db, 0), root);
        Dictionary<string, byte[]> expected = FinalState(fixture);
        foreach ((string key, byte[] value) in expected)
        {
            Assert.That(reopened.Get(Key(fixture, Hex.Decode(key))), Is.EqualTo(value), key);
        }

        Assert.That(reopened.ComputeRoot(), Is.EqualTo(fixture.Root));
    }

    [TestCaseSource(nameof(AnyOrderFixtures))]
    public void AnyOrderGivesTheSameRoot(TrieFixture fixture)
    {
        // For the "any order" files the set is what matters; apply it reversed and shuffled.
        List<(byte[], byte[]?)> ops = [.. fixture.Operations];
        ops.Reverse();
        PatriciaTrie reversed = new();
        Apply(reversed, fixture, ops);
        Assert.That(reversed.ComputeRoot(), Is.EqualTo(fixture.Root));

        Random rng = new(fixture.Name.Length);
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ops));
        PatriciaTrie shuffled = new();
        Apply(shuffled, fixture, ops);
        Assert.That(shuffled.ComputeRoot(), Is.EqualTo(fixture.Root));
    }

    private static IEnumerable<TestCaseData> NextPrevCases()
    {
        string file = VectorFiles.Path("trie", "trietestnextprev.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
        foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
        {
            string[] keys = [.. entry.Value.GetProperty("in").EnumerateArray().Select(e => e.GetString()!)];
            foreach (JsonElement t in entry.Value.GetProperty("tests").EnumerateArray())
            {
                yield return new TestCaseData(keys, t[0].GetString(), t[1].GetString(), t[2].GetString())
                    .SetName($"trietestnextprev/{entry.Name}/'{t[0].GetString()}'");
            }
        }
    }

    /// <summary>trietestnextprev.json: the previous and next keys of a probe, from the trie's in-order iteration.</summary>
    [TestCaseSource(nameof(NextPrevCases))]
    public void NextAndPrevious(string[] keys, string probe, string previous, string next)
    {
        PatriciaTrie trie = new();
        foreach (string k in keys)
        {
            trie.Set(TrieFixture.Decode(k), TrieFixture.Decode(k));
        }

        using (IWriteBatch batch = trie.Store.Db.StartBatch())
        {
            trie.Commit(batch);
            batch.Write();
        }
        byte[] p = TrieFixture.Decode(probe);
        string foundPrev = "", foundNext = "";
        foreach (KeyValuePair<byte[], byte[]> kv in trie.ToList())
        {
            int c = kv.Key.AsSpan().SequenceCompareTo(p);
            if (c < 0)
            {
                foundPrev = System.Text.Encoding.ASCII.GetString(kv.Key);
            }
            else if (c > 0 && foundNext.Length == 0)
            {
                foundNext = System.Text.Encoding.ASCII.GetString(kv.Key);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(foundPrev, Is.EqualTo(previous), "previous");
            Assert.That(foundNext, Is.EqualTo(next), "next");
        });
    }

    private static void Apply(PatriciaTrie trie, TrieFixture fixture, List<(byte[] Key, byte[]? Value)> ops)
    {
        foreach ((byte[] key, byte[]? value) in ops)
        {
            byte[] k = Key(fixture, key);
            if (value is null)
            {
                trie.Delete(k);
            }
            else
            {
                trie.Set(k, value);
            }
        }
    }

    private static byte[] Key(TrieFixture fixture, byte[] key) => fixture.Secure ? Keccak256.Compute(key).ToArray() : key;

    private static Dictionary<string, byte[]> FinalState(TrieFixture fixture)
    {
        Dictionary<string, byte[]> state = [];
        foreach ((byte[] key, byte[]? value) in fixture.Operations)
        {
            string k = Hex.Encode(key);
            if (value is null || value.Length == 0)
            {
                state.Remove(k);
            }
            else
            {
                state[k] = value;
            }
        }

        return state;
    }
}
