using System;
using System.Threading;

namespace Leakproof.Census.Analysis;

/// <summary>Reads an operation's owner by running the owner probe inside a copy of the operation's execution context.</summary>
internal static class OwnerReader
{
    /// <summary>Runs the probe held in the state and stores its answer for the caller on the same thread.</summary>
    private static readonly ContextCallback s_runProbe = static state => s_result = ((Func<string?>)state!)();

    /// <summary>The probe's answer; <see cref="ExecutionContext.Run"/> runs the callback on the calling thread.</summary>
    [ThreadStatic]
    private static string? s_result;

    /// <summary>Runs <paramref name="probe"/> in a copy of <paramref name="context"/>.</summary>
    /// <param name="context">The operation's context.</param>
    /// <param name="probe">The probe, or <see langword="null"/>.</param>
    /// <returns>What the probe returned, or <see langword="null"/> when there is no probe or it failed.</returns>
    public static string? Read(ExecutionContext? context, Func<string?>? probe)
    {
        if (context is null || probe is null)
        {
            return null;
        }

        s_result = null;
        try
        {
            ExecutionContext.Run(context.CreateCopy(), s_runProbe, probe);
            return s_result;
        }
        catch (Exception)
        {
            return null; // A failing probe costs the owner of one operation, never the census.
        }
    }
}
