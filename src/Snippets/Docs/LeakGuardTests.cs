using Leakproof.Testing;
using Xunit;

namespace Snippets.Docs;

/// <summary>docs/leakguard.md (compiled only: Snippets is not a test project).</summary>
/// <param name="client">The client under test.</param>
public sealed class LeakGuardTests(LeakGuardTests.Client client) : IClassFixture<LeakGuardTests.Client>
{
    // begin-snippet: leakguard-test
    [Fact]
    public async Task Fetch_DoesNotLeak()
    {
        await using var guard = LeakGuard.Start();      // owner token flows into everything started below
        await client.FetchAsync();
    }                                                   // DisposeAsync verifies: LeakDetectedException on a leak

    // Or explicitly:
    [Fact]
    public async Task Fetch_DoesNotLeak_Explicitly()
    {
        await using var guard = LeakGuard.Start();
        await client.FetchAsync();
        LeakReport report = await guard.FindLeaksAsync();   // never throws for leaks
        Console.WriteLine(report);                          // the leaks, the unowned work, the warnings
        await guard.VerifyNoLeaksAsync();                   // throws LeakDetectedException (message = the report)
    }

    // end-snippet

    public static async Task TestRunAsync(ILeakTestReporter reporter)
    {
        // begin-snippet: leakguard-test-run
        LeakGuard run = LeakGuard.StartTestRun();           // when the run starts: work pending now is ignored
        // ... all tests run ...
        await run.VerifyNoLeaksAsync(reporter);             // when it ends: every operation begun since, whoever started it
        // end-snippet
    }

    /// <summary>A client shared by the tests of the class.</summary>
    public sealed class Client
    {
        /// <summary>Fetches.</summary>
        /// <returns>A completed task.</returns>
        public Task FetchAsync() => Task.CompletedTask;
    }
}
