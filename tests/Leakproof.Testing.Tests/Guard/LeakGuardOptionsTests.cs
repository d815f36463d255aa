using System;

namespace Leakproof.Testing.Tests.Guard;

public sealed class LeakGuardOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new LeakGuardOptions();

        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(20, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(1), options.InitialRetryDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MaxSettleTime);
        Assert.True(options.IgnoreCurrent);
        Assert.True(options.UseDefaultIgnores);
        Assert.True(options.CheckUnobservedExceptions);
        Assert.False(options.CaptureCreationStacks);
        options.Validate();
    }

    [Fact]
    public void Validate_NegativeRetries_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LeakGuardOptions { MaxRetries = -1 }.Validate());
        Assert.Contains("LeakGuardOptions.MaxRetries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InitialDelayAboveMax_ThrowsNamingBoth()
    {
        var options = new LeakGuardOptions { InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(1) };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains("InitialRetryDelay", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryDelay", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullTimeProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new LeakGuardOptions { TimeProvider = null! }.Validate());
    }

    [Fact]
    public void Start_InvalidOptions_FailsLoudly()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeakGuard.Start(new LeakGuardOptions { MaxSettleTime = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void IgnoreAwaitSite_NonPositiveLine_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeakGuardOptions().IgnoreAwaitSite("File.cs", 0));
        Assert.Throws<ArgumentException>(() => new LeakGuardOptions().IgnoreMethod(" "));
    }
}
