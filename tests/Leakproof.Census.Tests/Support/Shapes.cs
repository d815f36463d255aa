using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Leakproof.Census.Tests.Support;

/// <summary>Pending-work shapes whose await lines the tests know.</summary>
internal static class Shapes
{
    public static int WaitLine { get; private set; }

    public static int OuterLine { get; private set; }

    public static int WriteLine { get; private set; }

    public static async Task WaitAsync(Task signal)
    {
        WaitLine = Here.Line(); await signal;
    }

    public static async Task OuterAsync(Task signal)
    {
        OuterLine = Here.Line(); await WaitAsync(signal);
    }

    public static async Task WriteAsync(ChannelWriter<int> writer, int value)
    {
        WriteLine = Here.Line(); await writer.WriteAsync(value);
    }

    public static async Task DelayAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromHours(1), timeProvider, cancellationToken);
    }
}
