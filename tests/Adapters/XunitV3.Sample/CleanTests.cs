using System.Threading.Tasks;
using Leakproof.Testing.XunitV3;
using Xunit;

namespace Samples.XunitV3;

public class CleanTests
{
    [Fact]
    [LeakGuard]
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
