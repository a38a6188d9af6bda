using Cere.Chain.Cli;

namespace Cere.Chain;

/// <summary>The <c>cere-node</c> command line.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static int Main(string[] args) => NodeCommandLine.Build().Parse(args).Invoke();
}
