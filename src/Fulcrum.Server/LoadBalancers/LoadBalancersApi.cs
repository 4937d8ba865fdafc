using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.LoadBalancers;

public static class LoadBalancersApi
{
    private const string Collection = "/api/v1/load-balancers";

    public static void MapLoadBalancersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/load-balancers").WithTags("Load balancers");
        group.MapPost("/", CreateAsync).Accepts<LoadBalancerTreeRequest>("application/json")
            .WithSummary("Create a load balancer, with its backend groups and listeners if given (one revision)");
        group.MapGet("/", ListAsync)
            .WithSummary("List load balancers");
        group.MapGet("/{id}", GetAsync)
            .WithSummary("Get a load balancer");
        group.MapGet("/{id}/tree", TreeAsync)
            .WithSummary("Get a load balancer with everything in it");
        group.MapGet("/{id}/status", StatusAsync)
            .WithSummary("Get a load balancer's status tree: listeners, rules, backend groups and backends, each with its provisioning and operating status");
        group.MapPut("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>("application/json")
            .WithSummary("Replace a load balancer");
        group.MapPatch("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>(Edit.MergePatchType)
            .WithSummary("Change some fields of a load balancer (JSON merge patch)");
        group.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a load balancer (cascade=true: with everything in it)");
    }

    /// <summary>With <c>backendGroups</c> and <c>listeners</c>, the whole tree is made in one revision.</summary>
    private static async Task<Created<LoadBalancerResponse>> CreateAsync(Body<LoadBalancerTreeRequest> body, Caller caller, LoadBalancerTreeOperations trees, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await trees.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<LoadBalancerTreeResponse>> TreeAsync(string id, Caller caller, LoadBalancerTreeOperations trees, CancellationToken ct) =>
        TypedResults.Ok(await trees.ReadAsync(caller, id, ct));

    private static async Task<Ok<LoadBalancerStatusTree>> StatusAsync(string id, Caller caller, LoadBalancerTreeOperations trees, CancellationToken ct) =>
        TypedResults.Ok(await trees.StatusAsync(caller, id, ct));

    private static async Task<Ok<Page<LoadBalancerResponse>>> ListAsync(Caller caller, LoadBalancerOperations loadBalancers, string? projectId, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await loadBalancers.ListAsync(caller, projectId, clusterId, offset, limit, ct));

    private static async Task<Ok<LoadBalancerResponse>> GetAsync(string id, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct) =>
        http.Ok(await loadBalancers.GetAsync(caller, id, ct));

    private static async Task<Ok<LoadBalancerResponse>> UpdateAsync(string id, Edit edit, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct) =>
        http.Ok(await edit.ApplyAsync<LoadBalancerRequest, LoadBalancerResponse>(http, () => loadBalancers.GetAsync(caller, id, ct), (request, write) => loadBalancers.UpdateAsync(caller, id, request, write, ct)));

    private static async Task<NoContent> DeleteAsync(string id, bool? cascade, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct)
    {
        await loadBalancers.DeleteAsync(caller, id, cascade is true, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
