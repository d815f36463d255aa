using System;
using System.Threading.Channels;

namespace Leakproof.Tests.Channels;

public sealed class ScopedChannelOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new ScopedChannelOptions();
        Assert.Equal(1, options.Capacity);
        Assert.Equal(BoundedChannelFullMode.Wait, options.FullMode);
        Assert.False(options.SingleReader);
        Assert.False(options.SingleWriter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Capacity_LessThanOne_ThrowsNamingTheOption(int capacity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ScopedChannelOptions { Capacity = capacity });
        Assert.Contains("ScopedChannelOptions.Capacity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FullMode_Undefined_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ScopedChannelOptions { FullMode = (BoundedChannelFullMode)42 });
        Assert.Contains("ScopedChannelOptions.FullMode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setters_ValidValues_AreKept()
    {
        var options = new ScopedChannelOptions { Capacity = 8, FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true };
        Assert.Equal(8, options.Capacity);
        Assert.Equal(BoundedChannelFullMode.DropOldest, options.FullMode);
        Assert.True(options.SingleReader);
        Assert.True(options.SingleWriter);
    }
}
