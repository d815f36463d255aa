using System.Threading.Tasks;
using Leakproof.Testing.MSTest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Samples.MSTest;

[TestClass]
public class LeakingTests : LeakGuardedTest
{
    private static readonly TaskCompletionSource s_never = new();

    [TestMethod]
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
