using System;

namespace Leakproof.Tests.Loops;

public sealed class BackgroundLoopOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new BackgroundLoopOptions();

        Assert.Null(options.Name);
        Assert.Equal(TimeSpan.Zero, options.Period);
        Assert.False(options.RunImmediately);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.OnError);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void Validate_PeriodNotPositiveOrTooLong_ThrowsNamingTheOption(long ticks)
    {
        var options = new BackgroundLoopOptions { Period = TimeSpan.FromTicks(ticks) };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal("Period", ex.ParamName);
        Assert.Contains("BackgroundLoopOptions.Period", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InfinitePeriod_Throws()
    {
        var options = new BackgroundLoopOptions { Period = System.Threading.Timeout.InfiniteTimeSpan };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_NullTimeProvider_Throws()
    {
        var options = new BackgroundLoopOptions { Period = TimeSpan.FromSeconds(1), TimeProvider = null! };

        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(options.Validate).ParamName);
    }

    [Fact]
    public void Validate_SmallestPeriod_IsAccepted()
    {
        new BackgroundLoopOptions { Period = TimeSpan.FromTicks(1) }.Validate();
    }
}
