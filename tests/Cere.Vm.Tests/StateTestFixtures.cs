using Cere.Tests.Shared;
using Cere.Vm.StateTests;

namespace Cere.Vm.Tests;

/// <summary>The official GeneralStateTests entries for Cancun, loaded lazily (each file parsed once).</summary>
internal static class StateTestFixtures
{
    /// <summary>
    /// Folders left out by name: they test EIP-4844 blob transactions (type 3) and this chain carries no blobs
    /// (../shared/vectors/README.md, "Blob transactions").
    /// </summary>
    public static readonly string[] ExcludedFolders = ["state/Cancun/stEIP4844-blobtransactions/", "state/Pyspecs/cancun/eip4844_blobs/"];

    /// <summary>Every fixture file that is not excluded, relative to the vectors root.</summary>
    public static IEnumerable<string> Files()
    {
        foreach (string f in VectorFiles.Enumerate("state"))
        {
            bool excluded = false;
            foreach (string x in ExcludedFolders)
            {
                excluded |= f.StartsWith(x, StringComparison.Ordinal);
            }

            if (!excluded)
            {
                yield return f;
            }
        }
    }

    /// <summary>The folder of a fixture (its path without the file name).</summary>
    public static string FolderOf(string file) => file[..file.LastIndexOf('/')];

    /// <summary>All Cancun entries of a file.</summary>
    public static List<StateTestCase> Load(string file) => StateTestLoader.Load(VectorFiles.Path(file), file["state/".Length..]);
}
