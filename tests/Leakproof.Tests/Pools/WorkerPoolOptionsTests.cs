using System;

namespace Leakproof.Tests.Pools;

public sealed class WorkerPoolOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new WorkerPoolOptions();

        Assert.Null(options.Name);
        Assert.Equal(Environment.ProcessorCount, options.WorkerCount);
        Assert.Equal(1024, options.QueueCapacity);
        Assert.Equal(WorkerPoolFullMode.Wait, options.FullMode);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }

    [Theory]
    [InlineData(0, 1, "WorkerCount")]
    [InlineData(-1, 1, "WorkerCount")]
    [InlineData(1, 0, "QueueCapacity")]
    public void Validate_OutOfRange_ThrowsNamingTheOption(int workers, int capacity, string option)
    {
        var options = new WorkerPoolOptions { WorkerCount = workers, QueueCapacity = capacity };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"WorkerPoolOptions.{option}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedFullMode_Throws()
    {
        var options = new WorkerPoolOptions { FullMode = (WorkerPoolFullMode)7 };

        Assert.Equal("FullMode", Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
    }

    [Fact]
    public void Validate_NullTimeProvider_Throws()
    {
        var options = new WorkerPoolOptions { TimeProvider = null! };

        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(options.Validate).ParamName);
    }

    [Fact]
    public void WorkerPoolCtor_InvalidOptionsOrNullHandler_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool<int, int>((n, _) => new(n), new WorkerPoolOptions { WorkerCount = 0 }));
        Assert.Throws<ArgumentNullException>("handler", () => new WorkerPool<int, int>(null!));
    }

    [Fact]
    public void WorkerPoolFullException_StandardConstructors_KeepMessageAndCause()
    {
        var cause = new InvalidOperationException();

        Assert.NotEmpty(new WorkerPoolFullException().Message);
        Assert.Equal("full", new WorkerPoolFullException("full").Message);
        Assert.Same(cause, new WorkerPoolFullException("full", cause).InnerException);
        Assert.Null(new WorkerPoolFullException("full").PoolName);
    }
}
