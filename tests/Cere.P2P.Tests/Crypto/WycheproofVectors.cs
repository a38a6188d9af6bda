using System.Collections.Concurrent;
using System.Text.Json;
using Cere.Tests.Shared;

namespace Cere.P2P.Tests.Crypto;

/// <summary>One Wycheproof test with its group (the key material lives in the group).</summary>
public sealed record WycheproofCase(string File, int TcId, JsonElement Group, JsonElement Test)
{
    public string Result => Test.GetProperty("result").GetString()!;

    public byte[] Hex(string name) => Convert.FromHexString(Test.GetProperty(name).GetString()!);

    public override string ToString() => $"{File} #{TcId}";
}

/// <summary>Loads the Wycheproof files of ../shared/vectors/p2p-crypto once and yields every test as its own case.</summary>
public static class WycheproofVectors
{
    private static readonly ConcurrentDictionary<string, List<WycheproofCase>> Cache = new();

    public static List<WycheproofCase> Load(string file) => Cache.GetOrAdd(file, f =>
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("p2p-crypto", f)));
        List<WycheproofCase> list = [];
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            JsonElement g = group.Clone();
            foreach (JsonElement t in group.GetProperty("tests").EnumerateArray())
            {
                list.Add(new WycheproofCase(f, t.GetProperty("tcId").GetInt32(), g, t.Clone()));
            }
        }

        return list;
    });

    public static int DeclaredCount(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(VectorFiles.Path("p2p-crypto", file)));
        return doc.RootElement.GetProperty("numberOfTests").GetInt32();
    }

    public static IEnumerable<TestCaseData> Cases(string file)
    {
        foreach (WycheproofCase c in Load(file))
        {
            yield return new TestCaseData(c).SetName($"{Path.GetFileNameWithoutExtension(file)} tcId {c.TcId:D3} ({c.Result})");
        }
    }
}
