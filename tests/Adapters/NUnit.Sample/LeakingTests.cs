using System.Threading.Tasks;
using Leakproof.Testing.NUnit;
using NUnit.Framework;

namespace Samples.NUnit;

public class LeakingTests
{
    private static readonly TaskCompletionSource s_never = new();

    [Test]
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
