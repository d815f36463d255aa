using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Leakproof.Analyzers.Internal;

/// <summary>The framework types the rules look for, resolved once per compilation (any of them may be missing).</summary>
internal sealed class KnownSymbols
{
    /// <summary>One instance per compilation, shared by every rule (each lookup walks every referenced assembly).</summary>
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> s_cache = new();

    private KnownSymbols(Compilation compilation)
    {
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskCompletionSource = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCompletionSource");
        TaskCompletionSourceOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCompletionSource`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        CancellationTokenRegistration = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenRegistration");
        ThreadingTimer = compilation.GetTypeByMetadataName("System.Threading.Timer");
        TimersTimer = compilation.GetTypeByMetadataName("System.Timers.Timer");
        PeriodicTimer = compilation.GetTypeByMetadataName("System.Threading.PeriodicTimer");
        ITimer = compilation.GetTypeByMetadataName("System.Threading.ITimer");
        TimeProvider = compilation.GetTypeByMetadataName("System.TimeProvider");
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        Timeout = compilation.GetTypeByMetadataName("System.Threading.Timeout");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        ManualResetEventSlim = compilation.GetTypeByMetadataName("System.Threading.ManualResetEventSlim");
        CountdownEvent = compilation.GetTypeByMetadataName("System.Threading.CountdownEvent");
        WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
        BlockingCollection = compilation.GetTypeByMetadataName("System.Collections.Concurrent.BlockingCollection`1");
        ChannelReader = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelReader`1");
        ChannelWriter = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelWriter`1");
        BackgroundService = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.BackgroundService");
        ModuleInitializerAttribute = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute");
        TaskScope = compilation.GetTypeByMetadataName("Leakproof.TaskScope");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
    }

    public INamedTypeSymbol? Task { get; }

    /// <summary>Returns the symbols of <paramref name="compilation"/>, resolving them on first use.</summary>
    public static KnownSymbols For(Compilation compilation) => s_cache.GetValue(compilation, static c => new KnownSymbols(c));

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? TaskFactory { get; }

    public INamedTypeSymbol? TaskCompletionSource { get; }

    public INamedTypeSymbol? TaskCompletionSourceOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? CancellationTokenRegistration { get; }

    public INamedTypeSymbol? ThreadingTimer { get; }

    public INamedTypeSymbol? TimersTimer { get; }

    public INamedTypeSymbol? PeriodicTimer { get; }

    public INamedTypeSymbol? ITimer { get; }

    public INamedTypeSymbol? TimeProvider { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? ThreadPool { get; }

    public INamedTypeSymbol? Timeout { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? ManualResetEventSlim { get; }

    public INamedTypeSymbol? CountdownEvent { get; }

    public INamedTypeSymbol? WaitHandle { get; }

    public INamedTypeSymbol? BlockingCollection { get; }

    public INamedTypeSymbol? ChannelReader { get; }

    public INamedTypeSymbol? ChannelWriter { get; }

    public INamedTypeSymbol? BackgroundService { get; }

    public INamedTypeSymbol? ModuleInitializerAttribute { get; }

    public INamedTypeSymbol? TaskScope { get; }

    public INamedTypeSymbol? Interlocked { get; }

    /// <summary>Returns whether <paramref name="type"/> is Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        ITypeSymbol original = named.OriginalDefinition;
        return Is(original, Task) || Is(original, TaskOfT) || Is(original, ValueTask) || Is(original, ValueTaskOfT)
            || (named.BaseType is not null && Is(named.BaseType.OriginalDefinition, Task));
    }

    public bool IsTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && (Is(named.OriginalDefinition, Task) || Is(named.OriginalDefinition, TaskOfT));

    public bool IsTimer(ITypeSymbol? type) =>
        type is not null && (Is(type, ThreadingTimer) || Is(type, TimersTimer) || Is(type, PeriodicTimer) || Is(type, ITimer));

    public bool IsTaskCompletionSource(ITypeSymbol? type) =>
        type is not null && (Is(type, TaskCompletionSource) || Is(type.OriginalDefinition, TaskCompletionSourceOfT));

    public bool IsCancellationToken(ITypeSymbol? type) => Is(type, CancellationToken);

    public bool IsCancellationTokenSource(ITypeSymbol? type) => Is(type, CancellationTokenSource);

    public static bool Is(ITypeSymbol? type, ITypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

    /// <summary>Returns whether <paramref name="type"/> is <paramref name="expected"/> or derives from it.</summary>
    public static bool InheritsFrom(ITypeSymbol? type, ITypeSymbol? expected)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (Is(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }
}
