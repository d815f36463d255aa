using System.Threading.Tasks;
using NUnit.Framework;

namespace Samples.NUnit;

/// <summary>No per-test guard: only the run's fixture can catch what this test leaves behind.</summary>
public class UnguardedTests
{
    private static readonly TaskCompletionSource s_never = new();

    [Test]
    public async Task LeaksUnguarded()
    {
        _ = ParkAsync();
        await Task.Yield();
    }

    private static async Task ParkAsync()
    {
        await s_never.Task; // RUN-LEAK-SITE
    }
}
