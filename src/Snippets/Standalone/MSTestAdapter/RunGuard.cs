#pragma warning disable SA1402 // the doc shows both classes in one file
// begin-snippet: mstest-adapter
using Leakproof.Testing;
using Leakproof.Testing.MSTest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]

[TestClass]
public static class RunGuard
{
    private static LeakGuard? s_run;

    [AssemblyInitialize]
    public static void Start(TestContext context) => s_run = LeakGuardRun.Start();

    [AssemblyCleanup]
    public static async Task VerifyAsync() => await LeakGuardRun.VerifyAsync(s_run!);
}

[TestClass]
public class ExporterTests : LeakGuardedTest
{
    protected override LeakGuardOptions? LeakGuardOptions => new LeakGuardOptions().IgnoreType(typeof(MetricsPump));

    [TestMethod]
    public async Task Flush_DoesNotLeak()
    {
        await using var exporter = new Exporter();
        await exporter.FlushAsync();
    }
}

// end-snippet
