using System;
using System.IO;
using System.Net.Sockets;
using Leakproof.Census;
using Leakproof.HeapCensus.Internal;
using Microsoft.Diagnostics.NETCore.Client;

namespace Leakproof.HeapCensus.Tests;

public sealed class HeapCensusInternalsTests
{
    [Fact]
    public void MapDumpFailure_TargetGone_IsProcessExitedWhateverTheException()
    {
        Assert.Equal(HeapCensusError.ProcessExited, TargetProcess.MapDumpFailure(new EndOfStreamException(), 42, exited: true).Error);
        Assert.Equal(HeapCensusError.ProcessExited, TargetProcess.MapDumpFailure(new ServerNotAvailableException("gone"), 42, exited: true).Error);
    }

    [Theory]
    [InlineData("Permission denied", HeapCensusError.PermissionDenied)]
    [InlineData("Writing dump failed: No space left on device", HeapCensusError.NoDiskSpace)]
    [InlineData("Writing dump failed (HRESULT: 0x80004005)", HeapCensusError.CannotAttach)]
    public void MapDumpFailure_ServerError_MapsByMessage(string message, HeapCensusError expected)
    {
        HeapCensusException error = TargetProcess.MapDumpFailure(new ServerErrorException(message), 42, exited: false);

        Assert.Equal(expected, error.Error);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapDumpFailure_AccessDeniedSocket_IsPermissionDenied() =>
        Assert.Equal(HeapCensusError.PermissionDenied, TargetProcess.MapDumpFailure(new SocketException((int)SocketError.AccessDenied), 7, exited: false).Error);

    [Fact]
    public void DumpFits_RequiresAMargin()
    {
        Assert.True(DumpFiles.Fits(availableBytes: 1000, estimatedBytes: 800));
        Assert.False(DumpFiles.Fits(availableBytes: 1000, estimatedBytes: 950));
    }

    [Theory]
    [InlineData("App.Worker+<RunAsync>d__5", "App.Worker.RunAsync")]
    [InlineData("App.Worker+<>c+<<Main>b__2_0>d", "App.Worker.Main.lambda")]
    [InlineData("App.Worker+<<Main>g__Wait|0_2>d", "App.Worker.Main.Wait")]
    [InlineData("App.Outer`1+Inner+<GoAsync>d__1", "App.Outer.Inner.GoAsync")]
    public void MethodName_ReadsCompilerGeneratedNames(string machine, string expected) =>
        Assert.Equal(expected, HeapNames.MethodName(machine));

    [Theory]
    [InlineData("System.Threading.Tasks.Task+DelayPromise", PendingOperationKind.Delay)]
    [InlineData("System.Threading.Tasks.Task+DelayPromiseWithCancellation", PendingOperationKind.Delay)]
    [InlineData("System.Threading.SemaphoreSlim+TaskNode", PendingOperationKind.SemaphoreWait)]
    [InlineData("System.Threading.Tasks.Task+WhenAllPromise", PendingOperationKind.WhenAllOrAny)]
    [InlineData("System.Threading.Tasks.Task<System.Int32>", PendingOperationKind.TaskCompletionSource)]
    [InlineData("System.Threading.Channels.AsyncOperation<System.Int32>", PendingOperationKind.ChannelOperation)]
    [InlineData("My.CustomTask", PendingOperationKind.Other)]
    public void Classify_ByRuntimeTypeName(string name, PendingOperationKind expected) =>
        Assert.Equal(expected, HeapReader.Classify(name).Kind);
}
