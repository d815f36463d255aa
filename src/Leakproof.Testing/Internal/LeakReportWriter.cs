using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Leakproof.Census;

namespace Leakproof.Testing.Internal;

/// <summary>Writes a <see cref="LeakReport"/> for people: leaks grouped by await site, then unobserved exceptions.</summary>
internal static class LeakReportWriter
{
    /// <summary>The most operations of the unowned list written out.</summary>
    private const int MaxUnownedShown = 10;

    /// <summary>Writes the report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The text.</returns>
    public static string Write(LeakReport report)
    {
        var text = new StringBuilder();
        var groups = new Dictionary<string, List<LeakedOperation>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (LeakedOperation leak in report.Leaks)
        {
            string key = $"{leak.State}|{leak.AwaitSite?.StateMachineType ?? leak.Description}#{leak.AwaitSite?.State}";
            if (!groups.TryGetValue(key, out List<LeakedOperation>? list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(leak);
        }

        order.Sort((a, b) => groups[b].Count.CompareTo(groups[a].Count));
        text.Append(CultureInfo.InvariantCulture, $"LeakGuard {report.GuardId}: {report.Leaks.Count} leaked operations at {groups.Count} await sites");
        text.Append(CultureInfo.InvariantCulture, $", {report.UnobservedExceptions.Count} unobserved exceptions");
        text.Append(CultureInfo.InvariantCulture, $" (judged after {report.Attempts} looks over {report.SettleTime.TotalMilliseconds:0} ms).\n");
        foreach (string key in order)
        {
            WriteGroup(text, groups[key]);
        }

        if (report.UnobservedExceptions.Count > 0)
        {
            text.Append("\nUnobserved task exceptions (a task failed and nobody awaited it):\n");
            foreach (Exception exception in report.UnobservedExceptions)
            {
                text.Append('\t').Append(Indent(exception.ToString())).Append('\n');
            }
        }

        if (report.Timers.Count > 0)
        {
            text.Append("\nTimers left running (created by the guarded code, never disposed):\n");
            foreach (LeakedTimer timer in report.Timers)
            {
                text.Append('\t').Append(timer).Append('\n');
            }
        }

        if (report.Unowned.Count > 0 || report.UnownedExceptions.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nNot blamed on this guard (no owner: started with the execution context's flow suppressed): {report.Unowned.Count} operations, {report.UnownedExceptions.Count} exceptions.\n");
            for (int i = 0; i < report.Unowned.Count && i < MaxUnownedShown; i++)
            {
                text.Append('\t').Append(report.Unowned[i]).Append('\n');
            }
        }

        foreach (string warning in report.Warnings)
        {
            text.Append("warning: ").Append(warning).Append('\n');
        }

        return text.ToString();
    }

    private static void WriteGroup(StringBuilder text, List<LeakedOperation> group)
    {
        LeakedOperation first = group[0];
        string state = first.State == LeakState.Pending ? "pending" : "abandoned (collected while suspended: its finally blocks never ran)";
        text.Append(CultureInfo.InvariantCulture, $"\n{group.Count} {state} @ {first.AwaitSite?.ToString() ?? first.Description}");
        if (first.Operation is { } operation)
        {
            text.Append(" [").Append(operation.Kind);
            if (operation.Awaiting is { } awaiting)
            {
                text.Append(", awaiting ").Append(awaiting.Kind).Append(' ').Append(awaiting.TypeName);
            }

            TimeSpan oldest = TimeSpan.Zero;
            foreach (LeakedOperation leak in group)
            {
                oldest = leak.Operation is { } o && o.Age > oldest ? o.Age : oldest;
            }

            text.Append(", oldest ").Append(Math.Round(oldest.TotalMilliseconds)).Append(" ms]");
            text.Append('\n');
            foreach (CensusFrame frame in operation.AsyncStack)
            {
                text.Append("\t\t").Append(frame).Append('\n');
            }

            if (operation.CreatedAt is { } created)
            {
                text.Append("\tcreated by ").Append(Indent(created.ToString())).Append('\n');
            }
        }
        else
        {
            text.Append('\n');
        }
    }

    private static string Indent(string text) => text.Replace("\n", "\n\t", StringComparison.Ordinal);
}
