using System.Runtime.CompilerServices;

namespace Cere.Tests.Shared;

/// <summary>Locates the official conformance fixtures in <c>../shared/vectors</c>, relative to the repository root.</summary>
public static class VectorFiles
{
    private static readonly Lazy<string> RootPath = new(() => FindRoot());

    /// <summary>The absolute path of the vectors folder (resolved once, from the repository root).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The absolute path of a file or folder under the vectors folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

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

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        // Walk up from the test binary (and, failing that, from this source file) to the repository
        // root, the folder holding Cere.Chain.sln; the vectors sit beside it in ../shared/vectors.
        foreach (string start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(thisFile) ?? "" })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(d.FullName, "Cere.Chain.sln")))
                {
                    string v = System.IO.Path.GetFullPath(System.IO.Path.Combine(d.FullName, "..", "shared", "vectors"));
                    if (Directory.Exists(v))
                    {
                        return v;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException("could not find ../shared/vectors relative to the repository root (the folder with Cere.Chain.sln)");
    }
}
