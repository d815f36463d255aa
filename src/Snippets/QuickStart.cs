using Leakproof;

namespace Snippets;

internal static class QuickStart
{
    // begin-snippet: quick-start
    public static Task<string> LoadDashboardAsync(HttpClient http, CancellationToken cancellationToken) =>
        TaskScope.RunAsync(async (scope, ct) =>
        {
            Task<string> profile = scope.Spawn(async t => await http.GetStringAsync("/profile", t));
            Task<string> orders = scope.Spawn(async t => await http.GetStringAsync("/orders", t));
            return $"{await profile} {await orders}"; // one fails: the other is cancelled and awaited, the error surfaces
        }, new TaskScopeOptions { Timeout = TimeSpan.FromSeconds(2) }, cancellationToken);
    // end-snippet
}
