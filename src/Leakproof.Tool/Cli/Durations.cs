using System;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Leakproof.Tool.Cli;

/// <summary>Parses durations written as <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000.0),
            _ => (string.Empty, 0.0),
        };
        if (scale > 0)
        {
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount >= 0 && amount * scale < TimeSpan.MaxValue.TotalMilliseconds)
            {
                value = TimeSpan.FromMilliseconds(amount * scale);
                return true;
            }

            return false;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    /// <summary>A System.CommandLine custom parser for a duration option.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out TimeSpan value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration for {(result.Parent as OptionResult)?.Option.Name ?? "the option"} (write 500ms, 10s, 5m or hh:mm:ss)");
        return default;
    }
}
