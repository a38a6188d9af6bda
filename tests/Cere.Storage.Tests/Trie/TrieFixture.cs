using System.Text;
using System.Text.Json;
using Cere.Core;
using Cere.Tests.Shared;

namespace Cere.Storage.Tests.Trie;

/// <summary>One entry of an ethereum/tests TrieTests file: the operations in order (null value = delete) and the expected root.</summary>
public sealed record TrieFixture(string File, string Name, bool Secure, bool AnyOrder, List<(byte[] Key, byte[]? Value)> Operations, Hash256 Root)
{
    /// <summary>Every entry of the root-checking trie fixture files, one test case each.</summary>
    public static IEnumerable<TestCaseData> All()
    {
        foreach (string file in VectorFiles.Enumerate("trie"))
        {
            if (file.EndsWith("trietestnextprev.json", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllText(VectorFiles.Path(file)));
            bool secure = file.Contains("secure", StringComparison.OrdinalIgnoreCase);
            foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
            {
                JsonElement input = entry.Value.GetProperty("in");
                List<(byte[], byte[]?)> ops = [];
                bool anyOrder = input.ValueKind == JsonValueKind.Object;
                if (anyOrder)
                {
                    foreach (JsonProperty kv in input.EnumerateObject())
                    {
                        ops.Add((Decode(kv.Name), DecodeValue(kv.Value)));
                    }
                }
                else
                {
                    foreach (JsonElement pair in input.EnumerateArray())
                    {
                        ops.Add((Decode(pair[0].GetString()!), DecodeValue(pair[1])));
                    }
                }

                Hash256 root = Hash256.Parse(entry.Value.GetProperty("root").GetString()!);
                string name = Path.GetFileNameWithoutExtension(file) + "/" + entry.Name;
                yield return new TestCaseData(new TrieFixture(file, entry.Name, secure, anyOrder, ops, root)).SetName(name);
            }
        }
    }

    /// <summary>Fixture text: hex when it starts with 0x, ASCII otherwise.</summary>
    public static byte[] Decode(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Hex.Decode(text) : Encoding.ASCII.GetBytes(text);

    private static byte[]? DecodeValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : Decode(value.GetString()!);

    /// <inheritdoc/>
    public override string ToString() => $"{File}/{Name}";
}
