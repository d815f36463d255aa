// begin-snippet: nunit-adapter
using Leakproof.Testing.NUnit;
using NUnit.Framework;

[assembly: LeakGuardRun]
[assembly: Parallelizable(ParallelScope.Fixtures)]

[LeakGuard]                                  // every test of the fixture
public class ExporterTests
{
    [Test]
    public async Task Flush_DoesNotLeak()
    {
        await using var exporter = new Exporter();
        await exporter.FlushAsync();
    }
}

// end-snippet
