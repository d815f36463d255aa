// begin-snippet: diagnostics-endpoint
using Leakproof;
using Leakproof.Census;

AsyncCensus.Enable();   // first: only operations created after this are seen

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
WebApplication app = builder.Build();

app.MapLeakproofDiagnostics();                                   // loopback callers only
// or, reachable from anywhere the policy admits:
// app.MapLeakproofDiagnostics().RequireAuthorization("ops");

app.Run();
// end-snippet
