using System.Text.Json;
using LeakLab;
using LeakLab.Harness;

const string Usage = "usage: LeakLab [--json] [--scenario <name>]... [--variant leaky|fixed] [--list]\n       LeakLab serve [--interval <ms>] [--rounds <n>]";

if (args.Length > 0 && args[0] == "serve")
{
    int intervalMs = 500;
    int rounds = 0;
    for (int i = 1; i < args.Length; i++)
    {
        if (args[i] == "--interval" && i + 1 < args.Length && int.TryParse(args[i + 1], out intervalMs) && intervalMs >= 0)
        {
            i++;
        }
        else if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], out rounds) && rounds >= 0)
        {
            i++;
        }
        else
        {
            Console.Error.WriteLine($"LeakLab: unknown or incomplete serve argument '{args[i]}'. {Usage}");
            return 2;
        }
    }

    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    await ServeMode.RunAsync(TimeSpan.FromMilliseconds(intervalMs), rounds, stop.Token);
    return 0;
}

bool json = false;
var names = new List<string>();
var variants = new List<string> { "leaky", "fixed" };
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--json":
            json = true;
            break;
        case "--list":
            foreach (IScenario s in Lab.Scenarios)
            {
                Console.WriteLine($"{s.Name,-18} {s.Incident}");
            }

            return 0;
        case "--scenario" when i + 1 < args.Length:
            names.Add(args[++i]);
            break;
        case "--variant" when i + 1 < args.Length && args[i + 1] is "leaky" or "fixed":
            variants = [args[++i]];
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"LeakLab: unknown or incomplete argument '{args[i]}'. {Usage}");
            return 2;
    }
}

var unknown = names.Where(n => Lab.Scenarios.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"LeakLab: no scenario named '{unknown[0]}'; run with --list to see them.");
    return 2;
}

var selected = Lab.Scenarios.Where(s => names.Count == 0 || names.Contains(s.Name)).ToList();
IReadOnlyList<VariantResult> results = await ScenarioRunner.RunAsync(selected, variants);

if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(results.ToList(), LabJsonContext.Default.ListVariantResult));
    return 0;
}

Console.WriteLine($"LeakLab: what each variant left behind {ScenarioRunner.Settle.TotalMilliseconds:0} ms after its caller returned");
Console.WriteLine();
Console.WriteLine($"{"scenario",-18} {"variant",-7} {"running",7} {"blocked",7} {"timers",6} {"unobserved",10} {"leaks",5}");
foreach (VariantResult r in results)
{
    Console.WriteLine($"{r.Scenario,-18} {r.Variant,-7} {r.StillRunning,7} {r.BlockedWriters,7} {r.Timers,6} {r.UnobservedExceptions,10} {r.Leaks,5}{(r.Error is null ? string.Empty : "  error: " + r.Error)}");
}

Console.WriteLine();
Console.WriteLine("running: work still running after its caller returned; blocked: of which producers parked in a channel write;");
Console.WriteLine("timers: Timer.ActiveCount left above its starting value; unobserved: task exceptions nobody observed.");
return 0;
