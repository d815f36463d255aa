// begin-snippet: xunitv3-adapter
using Leakproof.Testing.XunitV3;
using Xunit;

[assembly: AssemblyFixture(typeof(LeakGuardRunFixture))]

public class ExporterTests
{
    [Fact]
    [LeakGuard(MaxSettleMilliseconds = 500)]
    public async Task Flush_DoesNotLeak()
    {
        await using var exporter = new Exporter();
        await exporter.FlushAsync();
    }
}

// end-snippet
