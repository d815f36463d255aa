namespace Leakproof.Analyzers;

/// <summary>Rule identifiers: LEAK + 4 digits in the category blocks of docs/rules/README.md. Never reuse a retired ID.</summary>
internal static class RuleIds
{
    // 1xxx leaks and unobserved work
    public const string UnobservedTask = "LEAK1001";
    public const string UndisposedCancellationTokenRegistration = "LEAK1002";
    public const string UndisposedCancellationTokenSource = "LEAK1003";
    public const string BackgroundWorkInTypeInitializer = "LEAK1004";
    public const string UndisposedTimer = "LEAK1005";
    public const string TaskCompletionSourceCompletedUnderLock = "LEAK1006";
    public const string ChannelConsumerExitsWithoutCompletingWriter = "LEAK1007";
    public const string TaskCompletionSourceNotCompletedOnDispose = "LEAK1008";

    // 2xxx cancellation flow
    public const string FanOutWithoutSiblingCancellation = "LEAK2001";
    public const string WhenAnyLosersNotCancelled = "LEAK2002";
    public const string TimeoutAbandonsWork = "LEAK2003";
    public const string LoopIgnoresCancellation = "LEAK2004";
    public const string WaitWithoutCancellation = "LEAK2005";
}
