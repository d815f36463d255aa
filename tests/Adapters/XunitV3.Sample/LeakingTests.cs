using System.Threading.Tasks;
using Leakproof.Testing.XunitV3;
using Xunit;

namespace Samples.XunitV3;

public class LeakingTests
{
    private static readonly TaskCompletionSource s_never = new();

    [Fact]
    [LeakGuard]
    public async Task Leaks()
    {
        _ = WaitForeverAsync();
        await Task.Yield();
    }

    private static async Task WaitForeverAsync()
    {
        await s_never.Task; // LEAK-SITE
    }
}
