using Fulcrum.Server.Acls;
using Fulcrum.Server.BackendGroups;
using Fulcrum.Server.Backends;
using Fulcrum.Server.Certificates;
using Fulcrum.Server.Clusters;
using Fulcrum.Server.JoinTokens;
using Fulcrum.Server.Listeners;
using Fulcrum.Server.LoadBalancers;
using Fulcrum.Server.Nodes;
using Fulcrum.Server.Projects;
using Fulcrum.Server.Rules;
using Fulcrum.Server.Tokens;

namespace Fulcrum.Server.Http;

public static class OperationServices
{
    /// <summary>The operations the REST endpoints and the console share, one scoped service per resource.</summary>
    public static IServiceCollection AddFulcrumOperations(this IServiceCollection services) =>
        services
            .AddScoped<ProjectOperations>()
            .AddScoped<TokenOperations>()
            .AddScoped<ClusterOperations>()
            .AddScoped<JoinTokenOperations>()
            .AddScoped<NodeOperations>()
            .AddScoped<LoadBalancerOperations>()
            .AddScoped<ListenerOperations>()
            .AddScoped<RuleOperations>()
            .AddScoped<BackendGroupOperations>()
            .AddScoped<BackendOperations>()
            .AddScoped<CertificateOperations>()
            .AddScoped<AclOperations>();
}
