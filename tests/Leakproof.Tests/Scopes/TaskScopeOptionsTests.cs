using System;
using System.Threading;

namespace Leakproof.Tests.Scopes;

public sealed class TaskScopeOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new TaskScopeOptions();

        Assert.Null(options.Name);
        Assert.Equal(TaskScopeFailureMode.FailFast, options.FailureMode);
        Assert.Null(options.MaxConcurrency);
        Assert.Null(options.Timeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Create_MaxConcurrencyBelowOne_ThrowsNamingTheOption(int limit)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TaskScope.Create(new TaskScopeOptions { MaxConcurrency = limit }));

        Assert.Equal("MaxConcurrency", ex.ParamName);
        Assert.Contains("TaskScopeOptions.MaxConcurrency", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NonPositiveTimeout_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TaskScope.Create(new TaskScopeOptions { Timeout = TimeSpan.Zero }));

        Assert.Equal("Timeout", ex.ParamName);
        Assert.Contains("TaskScopeOptions.Timeout", ex.Message, StringComparison.Ordinal);
        TaskScope.Create(new TaskScopeOptions { Timeout = Timeout.InfiniteTimeSpan });
    }

    [Fact]
    public void Create_NullTimeProvider_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => TaskScope.Create(new TaskScopeOptions { TimeProvider = null! }));

        Assert.Equal("TimeProvider", ex.ParamName);
    }

    [Fact]
    public void Create_UndefinedFailureMode_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TaskScope.Create(new TaskScopeOptions { FailureMode = (TaskScopeFailureMode)7 }));

        Assert.Equal("FailureMode", ex.ParamName);
    }
}
