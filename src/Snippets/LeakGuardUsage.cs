using Leakproof.Testing;

namespace Snippets;

internal static class LeakGuardUsage
{
    // begin-snippet: leakguard
    public static async Task HandleWithoutLeaksAsync(Func<Task> handleRequestAsync)
    {
        await using var guard = LeakGuard.Start();
        await handleRequestAsync();
        await guard.VerifyNoLeaksAsync(); // throws LeakDetectedException with the report
    }

    // end-snippet
}
