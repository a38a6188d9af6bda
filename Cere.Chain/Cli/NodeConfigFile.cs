using System.Text.Json;

namespace Cere.Chain.Cli;

/// <summary>
/// The <c>--config FILE</c> JSON: keys named like the options without dashes ("datadir", "rpc.addr", "rpc.port",
/// "dev.period", "dev.mnemonic", "rpc.corsdomain"); options given on the command line win.
/// </summary>
public sealed class NodeConfigFile
{
    private static readonly string[] Known = ["datadir", "rpc.addr", "rpc.port", "dev.period", "dev.mnemonic", "rpc.corsdomain"];
    private readonly Dictionary<string, JsonElement> _values;

    private NodeConfigFile(Dictionary<string, JsonElement> values) => _values = values;

    /// <summary>An empty config (no file given).</summary>
    public static NodeConfigFile Empty { get; } = new(new Dictionary<string, JsonElement>());

    /// <summary>Reads and checks a config file.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object of known keys.</exception>
    public static NodeConfigFile Load(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: the config must be a JSON object");
        }

        Dictionary<string, JsonElement> values = new(StringComparer.Ordinal);
        foreach (JsonProperty p in doc.RootElement.EnumerateObject())
        {
            if (Array.IndexOf(Known, p.Name) < 0)
            {
                throw new InvalidDataException($"{path}: unknown key \"{p.Name}\" (known: {string.Join(", ", Known)})");
            }

            values[p.Name] = p.Value.Clone();
        }

        return new NodeConfigFile(values);
    }

    /// <summary>A string value, or null.</summary>
    public string? GetString(string key) =>
        !_values.TryGetValue(key, out JsonElement e) ? null
        : e.ValueKind == JsonValueKind.String ? e.GetString()
        : throw new InvalidDataException($"config key \"{key}\" must be a string");

    /// <summary>An integer value, or null.</summary>
    public int? GetInt(string key) =>
        !_values.TryGetValue(key, out JsonElement e) ? null
        : e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v
        : throw new InvalidDataException($"config key \"{key}\" must be an integer");
}
