using System.Globalization;
using Cere.Core.Crypto;
using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>
/// Keccak-f[1600] on its own against the XKCP <c>KeccakF-1600-IntermediateValues.txt</c>: the state after each
/// listed permutation, for every implementation variant, plus the round constants the file lists.
/// </summary>
public class KeccakPermutationTests
{
    private delegate void Permutation(ref KeccakState state);

    private static readonly string[] Lines = File.ReadAllLines(VectorFiles.Path("keccak", "KeccakF-1600-IntermediateValues.txt"));

    /// <summary>Every variant that exists (a vector variant, if one is added back, belongs here where the CPU can run it).</summary>
    private static IEnumerable<(string Name, Permutation Permute)> Variants()
    {
        yield return ("Dispatched", KeccakF1600.Permute);
        yield return ("Scalar", KeccakF1600.PermuteScalar);
    }

    /// <summary>(input, output) of each permutation example in the file, as the bytes it prints.</summary>
    private static List<(byte[] Input, byte[] Output)> Examples()
    {
        List<(byte[], byte[])> examples = [];
        byte[]? input = null;
        for (int i = 0; i < Lines.Length - 1; i++)
        {
            if (Lines[i].StartsWith("Input of permutation:", StringComparison.Ordinal))
            {
                input = ParseBytes(Lines[i + 1]);
            }
            else if (Lines[i].StartsWith("State after permutation:", StringComparison.Ordinal))
            {
                examples.Add((input ?? throw new FormatException("output without input"), ParseBytes(Lines[i + 1])));
                input = null;
            }
        }

        return examples;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        List<(byte[] Input, byte[] Output)> examples = Examples();
        foreach ((string name, Permutation _) in Variants())
        {
            for (int k = 0; k < examples.Count; k++)
            {
                yield return new TestCaseData(name, k).SetName($"KeccakF1600_{name}_Example{k}");
            }
        }
    }

    [Test]
    public void FileHoldsTwoPermutations() => Assert.That(Examples(), Has.Count.EqualTo(2));

    [TestCaseSource(nameof(Cases))]
    public void PermutationMatchesXkcp(string variant, int example)
    {
        Permutation permute = Variants().First(v => v.Name == variant).Permute;
        (byte[] input, byte[] output) = Examples()[example];

        KeccakState state = default;
        for (int i = 0; i < KeccakState.Lanes; i++)
        {
            state[i] = BitConverter.ToUInt64(input, 8 * i);
        }

        permute(ref state);

        byte[] actual = new byte[200];
        for (int i = 0; i < KeccakState.Lanes; i++)
        {
            BitConverter.TryWriteBytes(actual.AsSpan(8 * i), state[i]);
        }

        Assert.That(Convert.ToHexString(actual), Is.EqualTo(Convert.ToHexString(output)));
    }

    [Test]
    public void RoundConstantsMatchXkcp()
    {
        ulong[] fromFile = new ulong[KeccakF1600.Rounds];
        int found = 0;
        foreach (string line in Lines)
        {
            // "RC[07][0][0] = 8000000000008009"
            if (line.StartsWith("RC[", StringComparison.Ordinal))
            {
                int round = int.Parse(line.AsSpan(3, 2), CultureInfo.InvariantCulture);
                fromFile[round] = ulong.Parse(line.AsSpan(line.IndexOf('=', StringComparison.Ordinal) + 1).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                found++;
            }
        }

        Assert.That(found, Is.EqualTo(KeccakF1600.Rounds));
        Assert.That(KeccakF1600.RoundConstants.ToArray(), Is.EqualTo(fromFile));
    }

    private static byte[] ParseBytes(string line)
    {
        string hex = line.Replace(" ", "", StringComparison.Ordinal);
        byte[] b = Convert.FromHexString(hex);
        if (b.Length != 200)
        {
            throw new FormatException($"a Keccak-f[1600] state is 200 bytes, got {b.Length}");
        }

        return b;
    }
}
