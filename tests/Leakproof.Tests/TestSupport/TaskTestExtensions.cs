using System;
using System.Threading.Tasks;

namespace Leakproof.Tests.TestSupport;

/// <summary>Hang guards: a test waits for a signal, never for time; if the signal never comes it fails instead of hanging.</summary>
public static class TaskTestExtensions
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30);

    public static Task Guard(this Task task) => task.WaitAsync(s_hangGuard);

    public static Task<T> Guard<T>(this Task<T> task) => task.WaitAsync(s_hangGuard);

    public static Task Guard(this ValueTask task) => task.AsTask().WaitAsync(s_hangGuard);

    public static Task<T> Guard<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(s_hangGuard);
}
