using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Leakproof.Tool.Watch;

/// <summary>
/// Counts operations begun and not ended, per site, from TplEventSource causality events; samples growth per
/// interval. Events arrive on the reading thread, samples are taken on another: all members lock one gate.
/// </summary>
internal sealed class PendingTracker(int growIntervals)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SiteState> _open = [];
    private readonly Dictionary<string, SiteState> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _abandoned = new(StringComparer.Ordinal);
    private long _begun;
    private int _interval;

    public int GrowIntervals { get; } = growIntervals;

    public void OnBegin(int taskId, string site)
    {
        lock (_gate)
        {
            if (!_sites.TryGetValue(site, out SiteState? state))
            {
                state = new SiteState(site);
                _sites.Add(site, state);
            }

            _begun++;
            if (_open.Remove(taskId, out SiteState? previous))
            {
                previous.Pending--; // an id reused without its end seen
            }

            _open[taskId] = state;
            state.Pending++;
        }
    }

    public void OnEnd(int taskId)
    {
        lock (_gate)
        {
            if (_open.Remove(taskId, out SiteState? state))
            {
                state.Pending--;
            }
        }
    }

    public void OnAbandoned(string description)
    {
        string head = description.AsSpan().Trim().ToString();
        int newline = head.IndexOf('\n', StringComparison.Ordinal);
        head = newline < 0 ? head : head[..newline].TrimEnd('\r');
        lock (_gate)
        {
            _abandoned[head] = _abandoned.GetValueOrDefault(head) + 1;
        }
    }

    /// <summary>Ends an interval: computes each site's growth and streak.</summary>
    public WatchSample Sample()
    {
        lock (_gate)
        {
            _interval++;
            var sites = new List<SiteSample>(_sites.Count);
            long pending = 0;
            foreach (SiteState state in _sites.Values)
            {
                long delta = state.Pending - state.LastPending;
                state.Streak = delta > 0 ? state.Streak + 1 : 0;
                state.LastPending = state.Pending;
                pending += state.Pending;
                if (state.Pending > 0 || delta != 0)
                {
                    sites.Add(new SiteSample(state.Site, state.Pending, delta, state.Streak, state.Streak >= GrowIntervals));
                }
            }

            long begun = _begun;
            _begun = 0;
            return new WatchSample(
                _interval,
                begun,
                pending,
                sites.OrderByDescending(s => s.Growing).ThenByDescending(s => s.Pending).ThenBy(s => s.Site, StringComparer.Ordinal).ToList(),
                new Dictionary<string, int>(_abandoned, StringComparer.Ordinal));
        }
    }

    private sealed class SiteState(string site)
    {
        public string Site { get; } = site;

        public long Pending { get; set; }

        public long LastPending { get; set; }

        public int Streak { get; set; }
    }
}
