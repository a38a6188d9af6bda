using Cere.Core.Chainspec;

namespace Cere.Chain.Node;

/// <summary>genesis/dev.json and chainspec/dev.json, embedded in the binary so <c>--dev</c> needs no files.</summary>
public static class EmbeddedChainFiles
{
    /// <summary>The dev genesis.</summary>
    public static Genesis DevGenesis() => Genesis.Parse(Read("genesis.dev.json"));

    /// <summary>The dev chainspec.</summary>
    public static ChainSpec DevChainSpec() => ChainSpec.Parse(Read("chainspec.dev.json"));

    private static string Read(string name)
    {
        using Stream s = typeof(EmbeddedChainFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing from the build");
        using StreamReader r = new(s);
        return r.ReadToEnd();
    }
}
