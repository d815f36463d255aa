using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Census.Tests.Support;
using Leakproof.HeapCensus.Tests.Support;

namespace Leakproof.HeapCensus.Tests;

public sealed partial class HeapCensusTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private readonly string _dumpDirectory = Directory.CreateTempSubdirectory("leakproof-heapcensus-tests-").FullName;

    public void Dispose() => Directory.Delete(_dumpDirectory, recursive: true);

    [Fact]
    public async Task CaptureAsync_PendingChains_CountsEachAwaitSiteAtItsSourceLine()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 40 --depth 4 --abandoned 3", timeout.Token);
        Dictionary<string, int> lines = PendingChainsApp.ReadSiteLines();

        HeapCensusResult result = await HeapCensus.CaptureAsync(app.ProcessId, Options(), timeout.Token);

        CensusSnapshot census = result.Snapshot;
        Assert.Equal("heap-dump", census.Source);
        Assert.Equal(app.ProcessId, census.Process.ProcessId);
        // 40 chains: Outer → Relay (relay site) → Relay (leaf switch) → leaf; the leaves cycle through four kinds.
        AssertSite(census, lines, "outer", "PendingChains.Program.OuterAsync", 40);
        AssertSite(census, lines, "relay", "PendingChains.Program.RelayAsync", 40);
        AssertSite(census, lines, "relay-source", "PendingChains.Program.RelayAsync", 10);
        AssertSite(census, lines, "relay-delay", "PendingChains.Program.RelayAsync", 10);
        AssertSite(census, lines, "relay-semaphore", "PendingChains.Program.RelayAsync", 10);
        AssertSite(census, lines, "relay-channel", "PendingChains.Program.RelayAsync", 10);
        AssertSite(census, lines, "source", "PendingChains.Program.ParkOnSourceAsync", 10);
        AssertSite(census, lines, "delay", "PendingChains.Program.ParkOnDelayAsync", 10);
        AssertSite(census, lines, "semaphore", "PendingChains.Program.ParkOnSemaphoreAsync", 10);
        AssertSite(census, lines, "channel", "PendingChains.Program.ParkOnChannelAsync", 10);
        Assert.True(result.TargetPause > TimeSpan.Zero);
        Assert.True(result.DumpBytes > 0);
        Assert.Empty(Directory.GetFileSystemEntries(_dumpDirectory));
    }

    [Fact]
    public async Task CaptureAsync_PendingChains_ClassifiesLeavesAndLinksTheAwaitedByChain()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 8 --depth 3", timeout.Token);

        CensusSnapshot census = (await HeapCensus.CaptureAsync(app.ProcessId, Options(), timeout.Token)).Snapshot;

        Assert.Equal(2, Count(census, PendingOperationKind.Delay, "Task.Delay"));
        Assert.Equal(2, Count(census, PendingOperationKind.SemaphoreWait, "SemaphoreSlim.WaitAsync"));
        Assert.Equal(2, Count(census, PendingOperationKind.TaskCompletionSource, "TaskCompletionSource<System.Int32>"));
        PendingOperation channel = census.Operations.First(o => o.Description == "PendingChains.Program.ParkOnChannelAsync");
        Assert.Equal(PendingOperationKind.ChannelOperation, channel.Awaiting!.Kind);
        Assert.Null(channel.Awaiting.OperationId);

        // From a Task.Delay promise up: ParkOnDelayAsync → RelayAsync → OuterAsync, each linked to its awaiter.
        PendingOperation delay = census.Operations.First(o => o.Kind == PendingOperationKind.Delay && o.Description == "Task.Delay" && o.AwaitedById is not null);
        string[] stack = [.. delay.AsyncStack.Select(f => f.Method)];
        Assert.Equal(["Task.Delay", "PendingChains.Program.ParkOnDelayAsync", "PendingChains.Program.RelayAsync", "PendingChains.Program.OuterAsync"], stack);
        PendingOperation parkOnDelay = census.Operations.Single(o => o.Id == delay.AwaitedById);
        Assert.Equal(delay.Id, parkOnDelay.Awaiting!.OperationId);
        Assert.Contains(census.Chains, c => c.Count == 2 && c.Frames.Select(f => f.Method).SequenceEqual(stack));
    }

    [Fact]
    public async Task CaptureAsync_AbandonedMethods_AreReportedAsAbandonedAndNotPending()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 4 --abandoned 5", timeout.Token);
        int line = PendingChainsApp.ReadSiteLines()["abandoned"];

        CensusSnapshot census = (await HeapCensus.CaptureAsync(app.ProcessId, Options(), timeout.Token)).Snapshot;

        Assert.Equal(5, census.Abandoned.Count(a => a.Method == "PendingChains.Program.AbandonedAsync"));
        Assert.All(census.Abandoned, a => Assert.Equal(line, a.AwaitSite!.Line));
        Assert.DoesNotContain(census.Operations, o => o.Description == "PendingChains.Program.AbandonedAsync");
        Assert.DoesNotContain(census.Groups, g => g.Site?.Method == "PendingChains.Program.AbandonedAsync");
    }

    [Fact]
    public async Task CaptureAsync_DetectAbandonedOff_ReportsGarbageAsPendingAndSaysSo()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 4 --abandoned 5", timeout.Token);
        HeapCensusOptions options = Options();
        options.DetectAbandoned = false;

        CensusSnapshot census = (await HeapCensus.CaptureAsync(app.ProcessId, options, timeout.Token)).Snapshot;

        Assert.Empty(census.Abandoned);
        Assert.Equal(5, census.Operations.Count(o => o.Description == "PendingChains.Program.AbandonedAsync"));
        Assert.Contains(census.Warnings, w => w.Contains("DetectAbandoned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ToJson_HeapCensus_ValidatesAgainstPublishedSchema()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 8 --abandoned 2", timeout.Token);

        CensusSnapshot census = (await HeapCensus.CaptureAsync(app.ProcessId, Options(), timeout.Token)).Snapshot;

        string json = census.ToJson(indented: true);
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "census.schema.json")));
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Empty(new MiniJsonSchema(schema.RootElement).Validate(document.RootElement));
        Assert.Contains("\"source\": \"heap-dump\"", json, StringComparison.Ordinal);
        Assert.NotEmpty(census.Abandoned);
        Assert.Contains(census.Warnings, w => w.Contains("age", StringComparison.Ordinal));
        Assert.Equal(census.Operations.Count, CensusSnapshot.FromJson(json).Operations.Count);
    }

    [Fact]
    public async Task CaptureAsync_UnknownProcess_ThrowsProcessNotFound()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 1", timeout.Token);
        int pid = app.ProcessId;
        await app.KillAsync(timeout.Token);

        var error = await Assert.ThrowsAsync<HeapCensusException>(() => HeapCensus.CaptureAsync(pid, Options(), timeout.Token));

        Assert.Equal(HeapCensusError.ProcessNotFound, error.Error);
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureAsync_NotADotNetProcess_ThrowsNotDotNet()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        string sleep = File.Exists("/bin/sleep") ? "/bin/sleep" : File.Exists("/usr/bin/sleep") ? "/usr/bin/sleep" : throw new InvalidOperationException("This test needs the 'sleep' program (/bin/sleep or /usr/bin/sleep).");
        using var process = System.Diagnostics.Process.Start(sleep, "600");
        try
        {
            var error = await Assert.ThrowsAsync<HeapCensusException>(() => HeapCensus.CaptureAsync(process.Id, Options(), timeout.Token));

            Assert.Equal(HeapCensusError.NotDotNet, error.Error);
            Assert.Contains("diagnostics port", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task CaptureAsync_ProcessExitsBeforeTheDump_ThrowsProcessExitedAndLeavesNoDump()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 1", timeout.Token);
        HeapCensusOptions options = Options();
        options.BeforeDump = () => app.KillAsync(timeout.Token).GetAwaiter().GetResult();

        var error = await Assert.ThrowsAsync<HeapCensusException>(() => HeapCensus.CaptureAsync(app.ProcessId, options, timeout.Token));

        Assert.Equal(HeapCensusError.ProcessExited, error.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_dumpDirectory));
    }

    [Fact]
    public async Task CaptureAsync_CanceledAfterTheDump_DeletesTheDump()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using PendingChainsApp app = await PendingChainsApp.StartAsync("--chains 4", timeout.Token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        string? written = null;
        HeapCensusOptions options = Options();
        options.AfterDump = path =>
        {
            written = File.Exists(path) ? path : null;
            cancel.Cancel();
        };

        _ = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => HeapCensus.CaptureAsync(app.ProcessId, options, cancel.Token));

        Assert.NotNull(written);
        Assert.False(File.Exists(written));
        Assert.Empty(Directory.GetFileSystemEntries(_dumpDirectory));
    }

    [Fact]
    public async Task AnalyzeDumpAsync_NotADump_ThrowsCorruptDump()
    {
        string path = Path.Combine(_dumpDirectory, "not-a-dump.dmp");
        await File.WriteAllTextAsync(path, "this is no core file", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<HeapCensusException>(() => HeapCensus.AnalyzeDumpAsync(path, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HeapCensusError.CorruptDump, error.Error);
    }

    [Fact]
    public async Task ArgumentChecks_ThrowWhatADotNetUserExpects()
    {
        _ = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HeapCensus.CaptureAsync(0, cancellationToken: TestContext.Current.CancellationToken));
        _ = await Assert.ThrowsAsync<ArgumentException>(() => HeapCensus.AnalyzeDumpAsync(string.Empty, cancellationToken: TestContext.Current.CancellationToken));
        _ = await Assert.ThrowsAsync<FileNotFoundException>(() => HeapCensus.AnalyzeDumpAsync(Path.Combine(_dumpDirectory, "missing.dmp"), cancellationToken: TestContext.Current.CancellationToken));
    }

    private HeapCensusOptions Options() => new() { DumpDirectory = _dumpDirectory };

    private static int Count(CensusSnapshot census, PendingOperationKind kind, string description) =>
        census.Operations.Count(o => o.Kind == kind && o.Description == description);

    private static void AssertSite(CensusSnapshot census, Dictionary<string, int> lines, string marker, string method, int count)
    {
        int line = lines[marker];
        CensusGroup group = Assert.Single(census.Groups, g => g.Site?.Method == method && g.Site.Line == line);
        Assert.Equal(count, group.Count);
        Assert.Equal(PendingOperationKind.AsyncMethod, group.Kind);
        Assert.EndsWith(Path.Combine("PendingChains", "Program.cs"), group.Site!.File, StringComparison.Ordinal);
    }
}
