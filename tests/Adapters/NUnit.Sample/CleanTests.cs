using System.Threading.Tasks;
using Leakproof.Testing.NUnit;
using NUnit.Framework;

namespace Samples.NUnit;

[LeakGuard]
public class CleanTests
{
    [Test]
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
