using System.Runtime.CompilerServices;

namespace Cere.Tests.Shared;

/// <summary>Locates the repository and the official conformance fixtures in <c>../shared/vectors</c> beside it.</summary>
public static class VectorFiles
{
    private static readonly Lazy<string> RepositoryPath = new(() => FindRepository());
    private static readonly Lazy<string> RootPath = new(FindVectors);

    /// <summary>The absolute path of the repository root (the folder holding Cere.Chain.sln).</summary>
    public static string Repository => RepositoryPath.Value;

    /// <summary>The absolute path of the vectors folder (resolved once, from the repository root).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The absolute path of a file or folder under the vectors folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The absolute path of a file or folder of the repository (genesis/dev.json, tests/e2e, …).</summary>
    public static string RepositoryFile(params string[] parts) => System.IO.Path.Combine([Repository, .. parts]);

    /// <summary>
    /// Every file under <paramref name="folder"/> matching <paramref name="pattern"/>, relative to the vectors
    /// root, sorted, so that test names are stable and a new fixture file becomes a new test case.
    /// </summary>
    public static IEnumerable<string> Enumerate(string folder, string pattern = "*.json")
    {
        string dir = Path(folder);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"fixture folder missing: {dir} (expected ../shared/vectors beside the repository)");
        }

        string[] files = Directory.GetFiles(dir, pattern, SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string f in files)
        {
            yield return System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/');
        }
    }

    private static string FindVectors()
    {
        string v = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository, "..", "shared", "vectors"));
        return Directory.Exists(v)
            ? v
            : throw new DirectoryNotFoundException($"could not find ../shared/vectors beside the repository ({Repository})");
    }

    private static string FindRepository([CallerFilePath] string thisFile = "")
    {
        // Walk up from the test binary (and, failing that, from this source file, since build outputs may live
        // outside the checkout) to the folder holding Cere.Chain.sln.
        foreach (string start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(thisFile) ?? "" })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(d.FullName, "Cere.Chain.sln")))
                {
                    return d.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("could not find the repository root (the folder with Cere.Chain.sln)");
    }
}
