// The doc's throw-away measuring program, verbatim: compiled so its API calls cannot rot, not restyled.
#pragma warning disable IDE0011, SA1107, SA1134, SA1400, SA1513, SA1649
// begin-snippet: census-measurements
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Leakproof.Census;

const int OpsPerRound = 1_000;
double Round()
{
    var tcs = new TaskCompletionSource();
    var tasks = new Task[OpsPerRound];
    TimeSpan start = Process.GetCurrentProcess().TotalProcessorTime;
    for (int i = 0; i < OpsPerRound; i++) tasks[i] = Op(tcs.Task);
    tcs.SetResult();
    double ns = (Process.GetCurrentProcess().TotalProcessorTime - start).TotalNanoseconds / OpsPerRound;
    GC.KeepAlive(tasks);
    return ns;
}
double Median(Func<double> f, int n = 9) { var l = Enumerable.Range(0, n).Select(_ => { GC.Collect(); double sum = 0; for (int k = 0; k < 200; k++) sum += f(); return sum / 200; }).OrderBy(x => x).ToList(); return l[n / 2]; }
double baseline = Median(Round);
Console.WriteLine($"suspending async op, census off: {baseline:F0} ns/op");
AsyncCensus.Enable();
double tracked = Median(() => { double r = Round(); AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = false }); return r; });
Console.WriteLine($"suspending async op, census on (registry): {tracked:F0} ns/op (+{tracked - baseline:F0} ns)");

foreach (int m in new[] { 10_000, 100_000, -100_000 })
{
    int n = m;
    if (n < 0) { AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true }); Console.Write("with abandoned tracking: "); n = -n; }
    var gate = new TaskCompletionSource();
    var chains = new Task[n];
    for (int i = 0; i < n; i++) chains[i] = Outer(gate.Task);
    var sw = new Cpu();
    var first = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false });
    double firstMs = sw.Ms();
    sw.Restart();
    var grouped = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false });
    double groupedMs = sw.Ms();
    sw.Restart();
    var full = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = true });
    double fullMs = sw.Ms();
    sw.Restart();
    var owned = AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = true, OwnerProbe = () => null });
    double ownedMs = sw.Ms();
    sw.Restart();
    string text = full.ToText(CensusTextDetail.Groups); string json = full.ToJson();
    double outMs = sw.Ms();
    Console.WriteLine($"{n} chains ({grouped.Operations.Count} ops, {grouped.Groups.Count} groups, {full.Chains.Count} chain groups): first capture (takeover+PDB) {firstMs:F0} ms, grouped {groupedMs:F0} ms, with async stacks {fullMs:F0} ms, + owner probe {ownedMs:F0} ms, text+json {outMs:F0} ms ({json.Length / 1024} KB)");
    gate.SetResult();
    await Task.WhenAll(chains);
}
AsyncCensus.Enable(new CensusOptions { TrackAbandoned = true });
double abandoned = Median(() => { double r = Round(); AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = false }); return r; });
Console.WriteLine($"census on + abandoned tracking: {abandoned:F0} ns/op (+{abandoned - baseline:F0} ns)");
AsyncCensus.Enable(new CensusOptions { TrackCreationContext = true });
double guardMode = Median(() => { double r = Round(); AsyncCensus.Capture(new CensusCaptureOptions { IncludeAsyncStacks = false, ResolveSourceLines = false }); return r; });
Console.WriteLine($"LeakGuard mode (+ TplEventSource listener for creation contexts): {guardMode:F0} ns/op (+{guardMode - baseline:F0} ns)");

[MethodImpl(MethodImplOptions.NoInlining)] static async Task Op(Task t) { await t; }
static async Task Outer(Task t) { await Inner(t); }
static async Task Inner(Task t) { await t; }
class Cpu { TimeSpan _start = Process.GetCurrentProcess().TotalProcessorTime; public void Restart() => _start = Process.GetCurrentProcess().TotalProcessorTime; public double Ms() => (Process.GetCurrentProcess().TotalProcessorTime - _start).TotalMilliseconds; }
// end-snippet
