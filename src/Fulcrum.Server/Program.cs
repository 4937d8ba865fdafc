using Fulcrum.Core;
using Fulcrum.Core.Json;
using Fulcrum.Server;
using Fulcrum.Server.Acls;
using Fulcrum.Server.Agent;
using Fulcrum.Server.Audit;
using Fulcrum.Server.Auth;
using Fulcrum.Server.BackendGroups;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Certificates;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.Console.Shell;
using Fulcrum.Server.Health;
using Fulcrum.Server.Http;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Metrics;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Persistence;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Rules;
using Fulcrum.Server.Snapshots;
using Fulcrum.Server.Tls;
using Fulcrum.Server.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

if (args is ["--version"])
{
    Console.WriteLine(ProductVersion.Current);
    return;
}

// appsettings.json ships beside the program: started from any directory, the server reads its own settings.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The console's files (Blazor's script, MudBlazor's) are mapped from the build output in every environment, not only
// in Development: ./run starts the built program in Production. Publish output has them in wwwroot instead.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddOptions<FulcrumServerOptions>().BindConfiguration(FulcrumServerOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<FulcrumServerOptions>, ValidateFulcrumServerOptions>();
var options = builder.Configuration.GetSection(FulcrumServerOptions.Section).Get<FulcrumServerOptions>() ?? new FulcrumServerOptions();

builder.Services.AddFulcrumDatabase(options);
builder.AddFulcrumKeyRing(options);
ServerCertificate.UseGeneratedWhenNoneConfigured(builder, options);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<BootstrapAdminToken>();
builder.Services.AddSingleton<PrivateKeyProtector>();
builder.Services.AddScoped<LoadBalancerStatuses>();
builder.Services.AddScoped<SnapshotBuilder>();
builder.Services.AddSingleton<SnapshotCache>();
builder.Services.AddScoped<AuditLog>();
builder.Services.AddScoped<AuditEventOperations>();
builder.Services.AddSingleton<AuditRetention>();
builder.Services.AddHostedService(services => services.GetRequiredService<AuditRetention>());
// The operations behind every endpoint, which the console calls as well.
builder.Services.AddScoped<ProjectOperations>();
builder.Services.AddScoped<TokenOperations>();
builder.Services.AddScoped<ClusterOperations>();
builder.Services.AddScoped<JoinTokenOperations>();
builder.Services.AddScoped<NodeOperations>();
builder.Services.AddScoped<LoadBalancerOperations>();
builder.Services.AddScoped<LoadBalancerTreeOperations>();
builder.Services.AddScoped<ListenerOperations>();
builder.Services.AddScoped<RuleOperations>();
builder.Services.AddScoped<BackendGroupOperations>();
builder.Services.AddScoped<BackendOperations>();
builder.Services.AddScoped<CertificateOperations>();
builder.Services.AddScoped<AclOperations>();
builder.Services.AddKeyedSingleton(RevisionWatcher.ClockKey, TimeProvider.System);
builder.Services.AddSingleton<RevisionWatcher>();
builder.Services.AddSingleton<LongPolls>();
builder.Services.AddSingleton<ListenerRateHistory>();
builder.Services.AddSingleton<ListenerAccessLogs>();
builder.Services.AddScoped<ListenerRates>();
builder.Services.AddHostedService(services => services.GetRequiredService<RevisionWatcher>());
builder.Services.AddFulcrumMetrics();

builder.Services.AddFulcrumAuthentication()
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    // API tokens only: a node credential is good for the agent endpoints (the node policy) and nothing else.
    .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(Caller.RoleClaim).Build())
    .AddPolicy(NodeCaller.Policy, policy => policy.RequireAuthenticatedUser().RequireClaim(NodeCaller.NodeClaim))
    .AddConsolePolicies();
builder.Services.AddFulcrumConsole();

builder.Services.Configure<JsonOptions>(json => FulcrumJson.Configure(json.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Fulcrum API";
    document.Info.Description = "Load balancing as a service: clusters of haproxy, nginx and keepalived nodes.";
    return Task.CompletedTask;
}).AddOperationTransformer((operation, context, _) =>
{
    // The group's problem answers are those of its writes: a read is never a conflict or a failed precondition.
    if (HttpMethods.IsGet(context.Description.HttpMethod ?? ""))
    {
        operation.Responses?.Remove("409");
        operation.Responses?.Remove("412");
    }

    return Task.CompletedTask;
}));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi();
// The reference stays on this server: no AI chat, MCP, hosted API client or developer toolbar reaching Scalar's services.
app.MapScalarApiReference("/docs", scalar => scalar.DisableAgent().DisableMcp().HideClientButton().HideDeveloperTools());
app.MapHealthApi();
app.MapFulcrumMetrics(app.Services.GetRequiredService<IOptions<FulcrumServerOptions>>().Value.MetricsToken);

var api = app.MapGroup("/api/v1").RequireAuthorization()
    .AddEndpointFilter(DryRun.FilterAsync)
    .ProducesValidationProblem()
    .ProducesProblem(StatusCodes.Status401Unauthorized)
    .ProducesProblem(StatusCodes.Status403Forbidden)
    .ProducesProblem(StatusCodes.Status404NotFound)
    .ProducesProblem(StatusCodes.Status409Conflict)
    .ProducesProblem(StatusCodes.Status412PreconditionFailed);
api.MapProjectsApi();
api.MapTokensApi();
api.MapClustersApi();
api.MapJoinTokensApi();
api.MapNodesApi();
api.MapAgentJoinApi();
api.MapLoadBalancersApi();
api.MapListenersApi();
api.MapListenerStatsApi();
api.MapRulesApi();
api.MapBackendGroupsApi();
api.MapBackendsApi();
api.MapCertificatesApi();
api.MapAclsApi();
api.MapAuditEventsApi();
app.MapAgentApi();
app.MapFulcrumConsole();

await app.Services.InitializeDatabaseAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
