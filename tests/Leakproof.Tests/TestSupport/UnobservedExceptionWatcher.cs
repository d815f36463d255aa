using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace Leakproof.Tests.TestSupport;

/// <summary>Collects <see cref="TaskScheduler.UnobservedTaskException"/> events raised while it is alive.</summary>
internal sealed class UnobservedExceptionWatcher : IDisposable
{
    private readonly ConcurrentQueue<Exception> _exceptions = new();

    public UnobservedExceptionWatcher() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    public ConcurrentQueue<Exception> Exceptions => _exceptions;

    /// <summary>Forces the finalizers that raise the event to run.</summary>
    public void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        foreach (Exception inner in e.Exception.InnerExceptions)
        {
            _exceptions.Enqueue(inner);
        }

        e.SetObserved();
    }
}
