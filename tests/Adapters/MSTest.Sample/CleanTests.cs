using System.Threading.Tasks;
using Leakproof.Testing.MSTest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Samples.MSTest;

[TestClass]
public class CleanTests : LeakGuardedTest
{
    [TestMethod]
    public async Task IsClean()
    {
        var done = new TaskCompletionSource();
        Task waiting = WaitAsync(done.Task);
        done.SetResult();
        await waiting;
    }

    private static async Task WaitAsync(Task signal)
    {
        await signal;
    }
}
