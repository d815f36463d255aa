using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Telemetry;

namespace Leakproof;

/// <content>The loop child: the timer, one tick at a time, and what each tick reports.</content>
public sealed partial class BackgroundLoop
{
    /// <summary>The loop child: waits for each period and runs one tick at a time until the scope's token is cancelled.</summary>
    private async ValueTask RunLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Created synchronously inside EnsureStarted, so time that passes after EnsureStarted returns is counted.
            using var timer = new PeriodicTimer(_period, _timeProvider);
            if (_runImmediately)
            {
                // Never run the first tick inline on the caller of EnsureStarted (nor on its synchronization context).
                await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                await RunTickAsync(cancellationToken).ConfigureAwait(false);
            }

            // A slow tick delays the next: the timer remembers at most one elapsed period while a tick runs.
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RunTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the normal end of a loop.
        }
        finally
        {
            _loopEnded = true;
        }
    }

    /// <summary>Runs one tick, reports its outcome, and hands a failure to the error callback.</summary>
    /// <exception cref="OperationCanceledException">The loop is stopping.</exception>
    private async ValueTask RunTickAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long tickNumber = Interlocked.Increment(ref _tickCount);
        Activity? activity = StartTickActivity(tickNumber);
        Exception? failure = null;
        try
        {
            await _tick(cancellationToken).ConfigureAwait(false);
            ReportTick(activity, LeakproofTelemetryConstants.Success, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ReportTick(activity, LeakproofTelemetryConstants.Canceled, null);
            throw;
        }
        catch (Exception ex)
        {
            ReportTick(activity, LeakproofTelemetryConstants.Failure, ex);
            failure = ex;
        }

        if (failure is not null && _onError is { } onError)
        {
            // An exception from the callback ends the loop; the scope keeps it for StopAsync or DisposeAsync.
            await onError(new OnBackgroundLoopErrorArguments(failure, Name, tickNumber, cancellationToken)).ConfigureAwait(false);
        }
    }

    private Activity? StartTickActivity(long tickNumber)
    {
        if (!LeakproofTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        Activity? activity = LeakproofTelemetry.ActivitySource.StartActivity("leakproof.loop.tick " + Name, ActivityKind.Internal);
        activity?.SetTag(LeakproofTelemetryConstants.LoopNameTag, Name);
        activity?.SetTag(LeakproofTelemetryConstants.LoopTickNumberTag, tickNumber);
        return activity;
    }

    private void ReportTick(Activity? activity, string outcome, Exception? failure)
    {
        if (failure is null)
        {
            LeakproofTelemetry.LoopTicks.Add(1, _loopTag, new(LeakproofTelemetryConstants.OutcomeTag, outcome));
        }
        else
        {
            LeakproofTelemetry.LoopTicks.Add(
                1,
                _loopTag,
                new(LeakproofTelemetryConstants.OutcomeTag, outcome),
                new(LeakproofTelemetryConstants.ErrorTypeTag, failure.GetType().FullName));
        }

        if (activity is not null)
        {
            activity.SetTag(LeakproofTelemetryConstants.OutcomeTag, outcome);
            if (failure is not null)
            {
                activity.SetTag(LeakproofTelemetryConstants.ErrorTypeTag, failure.GetType().FullName);
                activity.SetStatus(ActivityStatusCode.Error, failure.Message);
            }

            activity.Dispose();
        }
    }
}
