using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Leakproof.Census.Output;

/// <summary>Writes a census as text in the spirit of Go's goroutine profile (<c>debug=1</c> groups, <c>debug=2</c> every operation).</summary>
internal static class CensusTextWriter
{
    /// <summary>Writes the census.</summary>
    /// <param name="snapshot">The census.</param>
    /// <param name="detail">How much to show.</param>
    /// <returns>The text.</returns>
    public static string Write(CensusSnapshot snapshot, CensusTextDetail detail)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(snapshot, detail, writer);
        return writer.ToString();
    }

    /// <summary>Writes the census to a writer, a group or an operation at a time (a full listing of a large process is hundreds of MB).</summary>
    /// <param name="snapshot">The census.</param>
    /// <param name="detail">How much to show.</param>
    /// <param name="writer">Where to write.</param>
    public static void Write(CensusSnapshot snapshot, CensusTextDetail detail, TextWriter writer)
    {
        var text = new StringBuilder();

        // A groups-only census lists no operation: its groups count them.
        long pending = snapshot.Operations.Count > 0 || snapshot.Groups.Count == 0 ? snapshot.Operations.Count : snapshot.Groups.Sum(g => (long)g.Count);
        text.Append(CultureInfo.InvariantCulture, $"census: {pending} pending operations in {snapshot.Groups.Count} await sites");
        text.Append(CultureInfo.InvariantCulture, $" (source {snapshot.Source}, pid {snapshot.Process.ProcessId}, {snapshot.CapturedAt:O})\n");
        foreach (string warning in snapshot.Warnings)
        {
            text.Append("warning: ").Append(warning).Append('\n');
        }

        if (detail == CensusTextDetail.Operations)
        {
            foreach (PendingOperation operation in snapshot.Operations)
            {
                WriteOperation(text, operation);
                Drain(text, writer);
            }
        }
        else
        {
            var byId = new Dictionary<long, PendingOperation>();
            foreach (PendingOperation operation in snapshot.Operations)
            {
                byId[operation.Id] = operation;
            }

            foreach (CensusGroup group in snapshot.Groups)
            {
                WriteGroup(text, group, byId);
                Drain(text, writer);
            }
        }

        if (snapshot.Abandoned.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nabandoned: {snapshot.Abandoned.Count} async methods collected while suspended (their finally blocks never ran)\n");
            foreach (AbandonedOperation abandoned in snapshot.Abandoned)
            {
                text.Append("abandoned @ ").Append(abandoned.AwaitSite?.ToString() ?? abandoned.Method);
                text.Append(abandoned.Owner is null ? "\n" : $" [owner {abandoned.Owner}]\n");
                Drain(text, writer);
            }
        }

        writer.Write(text);
    }

    /// <summary>Formats an age for people: <c>850ms</c>, <c>12.3s</c>, <c>4m05s</c>.</summary>
    /// <param name="age">The age.</param>
    /// <returns>The text.</returns>
    public static string FormatAge(TimeSpan age) =>
        age.TotalSeconds < 1 ? $"{age.TotalMilliseconds:0}ms"
        : age.TotalMinutes < 1 ? $"{age.TotalSeconds:0.0}s"
        : $"{(int)age.TotalMinutes}m{age.Seconds:00}s";

    /// <summary>Hands the text built so far to the writer once it is large enough, so memory stays bounded.</summary>
    private static void Drain(StringBuilder text, TextWriter writer)
    {
        if (text.Length >= 1 << 15)
        {
            writer.Write(text);
            _ = text.Clear();
        }
    }

    private static void WriteGroup(StringBuilder text, CensusGroup group, Dictionary<long, PendingOperation> byId)
    {
        text.Append(CultureInfo.InvariantCulture, $"\n{group.Count} @ {group.Site?.ToString() ?? group.Key}");
        text.Append(" [").Append(group.Kind);
        if (group.Awaiting is { } awaiting)
        {
            text.Append(", awaiting ").Append(awaiting.Kind).Append(' ').Append(awaiting.TypeName);
        }

        text.Append(", oldest ").Append(FormatAge(group.OldestAge)).Append(", youngest ").Append(FormatAge(group.YoungestAge)).Append("]\n");
        if (group.Stack is { Count: > 0 } stack)
        {
            WriteFrames(text, stack, "#\t");
        }
        else if (group.OperationIds.Count > 0 && byId.TryGetValue(group.OperationIds[0], out PendingOperation? first))
        {
            WriteStack(text, first, "#\t");
        }
    }

    private static void WriteOperation(StringBuilder text, PendingOperation operation)
    {
        text.Append(CultureInfo.InvariantCulture, $"\noperation {operation.Id} [{operation.Kind}, {FormatAge(operation.Age)}");
        if (operation.IsRunning)
        {
            text.Append(", running");
        }

        if (operation.Owner is not null)
        {
            text.Append(", owner ").Append(operation.Owner);
        }

        if (operation.ScopeName is not null)
        {
            text.Append(", scope \"").Append(operation.ScopeName).Append('"');
        }

        text.Append("]: ").Append(operation.Description).Append('\n');
        if (operation.Awaiting is { } awaiting)
        {
            text.Append("\tawaiting ").Append(awaiting).Append('\n');
        }

        WriteStack(text, operation, "\t");
        if (operation.CreatedAt is { } created)
        {
            if (created.File is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"\tcreated by {created.Member} at {created.File}:{created.Line}\n");
            }

            if (created.StackTrace is { } stack)
            {
                text.Append("\tcreated at:\n");
                foreach (string line in stack.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    text.Append("\t\t").Append(line).Append('\n');
                }
            }
        }
    }

    private static void WriteStack(StringBuilder text, PendingOperation operation, string prefix)
    {
        IReadOnlyList<CensusFrame> frames = operation.AsyncStack.Count > 0
            ? operation.AsyncStack
            : operation.AwaitSite is { } site ? [site] : [];
        WriteFrames(text, frames, prefix);
    }

    private static void WriteFrames(StringBuilder text, IReadOnlyList<CensusFrame> frames, string prefix)
    {
        foreach (CensusFrame frame in frames)
        {
            text.Append(prefix).Append(frame).Append('\n');
        }
    }
}
