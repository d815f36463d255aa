using System;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;

namespace Leakproof.Tests.Loops;

[Trait("Category", "Stress")]
public sealed class BackgroundLoopStressTests
{
    [Fact]
    public async Task EnsureStartedAndStopAsync_Racing_NeverHangsAndLeavesNoTimer()
    {
        for (int round = 0; round < 200; round++)
        {
            var time = new TimerTrackingTimeProvider();
            var loop = new BackgroundLoop(_ => default, new BackgroundLoopOptions { Name = "race", Period = TimeSpan.FromSeconds(1), TimeProvider = time });

            Task start = Task.Run(() =>
            {
                try
                {
                    loop.EnsureStarted();
                }
                catch (InvalidOperationException)
                {
                    // Stop won the race: starting a stopped loop is refused.
                }
            });
            Task stop = Task.Run(() => loop.StopAsync());
            await Task.WhenAll(start, stop).Guard();
            await loop.DisposeAsync().Guard();

            Assert.False(loop.IsRunning);
            Assert.Equal(0, time.LiveTimers);
        }
    }
}
