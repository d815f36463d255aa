using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;
using Leakproof.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Leakproof.Hosting.Tests.TestSupport;

/// <summary>Captures log entries so tests can wait for a specific event.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly Channel<LogEntry> _added = Channel.CreateUnbounded<LogEntry>();

    public LogEntry[] Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public async Task<LogEntry> WaitForAsync(string eventName)
    {
        while (true)
        {
            LogEntry? existing = _entries.FirstOrDefault(e => e.EventName == eventName);
            if (existing is not null)
            {
                return existing;
            }

            await _added.Reader.WaitToReadAsync().AsTask().Guard();
            while (_added.Reader.TryRead(out _))
            {
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception);
            owner._entries.Enqueue(entry);
            owner._added.Writer.TryWrite(entry);
        }
    }
}
