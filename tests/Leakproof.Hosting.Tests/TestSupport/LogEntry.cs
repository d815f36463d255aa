using System;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Tests.TestSupport;

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);
