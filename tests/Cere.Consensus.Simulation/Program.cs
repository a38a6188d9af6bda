using System.Globalization;

namespace Cere.Consensus.Simulation;

/// <summary>
/// <c>scripts/simulate --validators N --byzantine K --runs R --seed S [--drop P] [--partitions] [--heights H] [--threads T] [--verbose] [--trace]</c>:
/// runs R seeded simulations (run i uses seed S + i; replay one with <c>--runs 1 --seed S+i</c>) and ends with
/// <c>runs R, heights H, safety violations V, liveness failures L</c>.
/// </summary>
public static class Program
{
    /// <summary>Exit code 0 when no run failed, 1 when one did, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        BatchOptions options;
        bool verbose, trace;
        try
        {
            (options, verbose, trace) = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"simulate: {e.Message}");
            Console.Error.WriteLine("usage: simulate --validators N --byzantine K --runs R --seed S [--drop P] [--partitions] [--heights H] [--threads T] [--verbose]");
            return 2;
        }

        if (trace)
        {
            // One run with a line per notable event: for reading what a failing seed did.
            SimulationConfig config = BatchRunner.ConfigFor(options, options.Seed) with { Log = Console.WriteLine };
            Console.WriteLine($"behaviours: {string.Join(',', config.Behaviours)}");
            SimulationResult one = Simulation.Run(config);
            Console.WriteLine($"liveness failed: {one.LivenessFailed}; safety: {string.Join("; ", one.SafetyViolations)}");
        }

        BatchSummary summary = BatchRunner.Run(options, r =>
        {
            if (r.SafetyViolated || r.LivenessFailed || verbose)
            {
                string status = r.SafetyViolated ? "SAFETY" : r.LivenessFailed ? "LIVENESS" : "ok";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"seed {r.Seed}: {status}, heights {r.HeightsDecided}, max round {r.MaxDecisionRound}, messages {r.MessagesDelivered}, evidence against [{string.Join(',', r.EvidenceAgainst)}], trace {r.TraceHash:x16}"));
                foreach (string v in r.SafetyViolations)
                {
                    Console.WriteLine($"  {v}");
                }
            }
        });

        if (summary.FailingSeeds.Count > 0)
        {
            Console.WriteLine($"failing seeds: {string.Join(' ', summary.FailingSeeds)}");
        }

        Console.WriteLine(summary.ToString());
        return summary.FailingSeeds.Count == 0 ? 0 : 1;
    }

    private static (BatchOptions Options, bool Verbose, bool Trace) Parse(string[] args)
    {
        BatchOptions o = new();
        bool verbose = false, trace = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--validators": o = o with { Validators = ParseInt(a, Value()) }; break;
                case "--byzantine": o = o with { Byzantine = ParseInt(a, Value()) }; break;
                case "--runs": o = o with { Runs = ParseInt(a, Value()) }; break;
                case "--seed": o = o with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : throw new ArgumentException("--seed takes a non-negative integer") }; break;
                case "--drop":
                    double p = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : -1;
                    o = o with { Drop = p is >= 0 and < 1 ? p : throw new ArgumentException("--drop takes a probability in [0, 1)") };
                    break;
                case "--partitions": o = o with { Partitions = true }; break;
                case "--heights": o = o with { Heights = ParseInt(a, Value()) }; break;
                case "--threads": o = o with { Threads = ParseInt(a, Value()) }; break;
                case "--verbose": verbose = true; break;
                case "--trace": trace = true; break;
                case "--max-delay": o = o with { MaxDelayMs = ParseInt(a, Value()) }; break;
                case "--variant":
                    o = o with
                    {
                        Variant = Value() switch
                        {
                            "ignore-lock" => new Machine.MachineVariant(IgnoreLock: true),
                            "count-by-head" => new Machine.MachineVariant(CountByHead: true),
                            "two-thirds-inclusive" => new Machine.MachineVariant(AcceptTwoThirdsInclusive: true),
                            string v => throw new ArgumentException($"unknown variant '{v}' (ignore-lock, count-by-head, two-thirds-inclusive)"),
                        },
                    };
                    break;
                default: throw new ArgumentException($"unknown option {a}");
            }
        }

        if (o.Validators < 1 || o.Byzantine * 3 >= o.Validators)
        {
            throw new ArgumentException($"--byzantine {o.Byzantine} is not fewer than a third of --validators {o.Validators}");
        }

        return (o, verbose, trace);
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : throw new ArgumentException($"{name} takes a non-negative integer, got '{value}'");
}
