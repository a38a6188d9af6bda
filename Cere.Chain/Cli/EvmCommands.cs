using System.CommandLine;
using System.Text.Json;
using Cere.Vm.StateTests;

namespace Cere.Chain.Cli;

/// <summary>
/// <c>cere-node evm statetest FILE|DIR…</c>: runs Ethereum GeneralStateTests fixtures and prints one JSON object per
/// entry (name, pass, fork, stateRoot, error) and a summary line, like geth's <c>evm statetest</c>, so results can be
/// diffed against other EVMs.
/// </summary>
public static class EvmCommands
{
    /// <summary>Creates the <c>evm</c> command with its subcommands.</summary>
    public static Command Create()
    {
        Command evm = new("evm", "EVM tools: run the Ethereum state tests");
        Argument<string[]> paths = new("path") { Description = "fixture files or folders (searched recursively for *.json)", Arity = ArgumentArity.OneOrMore };
        Option<string> fork = new("--fork") { Description = "the fork whose post-state entries to run", DefaultValueFactory = _ => "Cancun" };
        Option<string?> run = new("--run") { Description = "only tests whose name contains this text" };
        Command statetest = new("statetest", "run state-test fixtures and print one JSON result per entry and a summary") { paths, fork, run };
        statetest.SetAction(parse => RunStateTests(parse.GetValue(paths) ?? [], parse.GetValue(fork)!, parse.GetValue(run)));
        evm.Subcommands.Add(statetest);
        return evm;
    }

    private static int RunStateTests(string[] paths, string fork, string? nameFilter)
    {
        List<string> files = new();
        foreach (string p in paths)
        {
            if (Directory.Exists(p))
            {
                string[] found = Directory.GetFiles(p, "*.json", SearchOption.AllDirectories);
                Array.Sort(found, StringComparer.Ordinal);
                files.AddRange(found);
            }
            else if (File.Exists(p))
            {
                files.Add(p);
            }
            else
            {
                Console.Error.WriteLine($"error: no such file or folder: {p}");
                return 2;
            }
        }

        int passed = 0, total = 0, unreadable = 0;
        using Stream stdout = Console.OpenStandardOutput();
        foreach (string file in files)
        {
            List<StateTestCase> cases;
            try
            {
                cases = StateTestLoader.Load(file, file, fork);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {file}: not a state test fixture: {e.Message}");
                unreadable++;
                continue;
            }

            foreach (StateTestCase c in cases)
            {
                if (nameFilter is not null && !c.Name.Contains(nameFilter, StringComparison.Ordinal))
                {
                    continue;
                }

                StateTestOutcome o = StateTestRunner.Run(c);
                total++;
                passed += o.Pass ? 1 : 0;
                using (Utf8JsonWriter w = new(stdout))
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.DisplayName);
                    w.WriteBoolean("pass", o.Pass);
                    w.WriteString("fork", c.Fork);
                    w.WriteString("stateRoot", o.StateRoot.ToString());
                    if (o.Error is null)
                    {
                        w.WriteNull("error");
                    }
                    else
                    {
                        w.WriteString("error", o.Error);
                    }

                    w.WriteEndObject();
                }

                stdout.WriteByte((byte)'\n');
            }
        }

        stdout.Flush();
        Console.WriteLine($"{passed}/{total} tests passed ({fork}), {total - passed} failed" + (unreadable > 0 ? $", {unreadable} files unreadable" : ""));
        return passed == total && unreadable == 0 ? 0 : 1;
    }
}
