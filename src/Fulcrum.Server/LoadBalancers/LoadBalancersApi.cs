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
        group.MapPost("/", CreateAsync).Accepts<LoadBalancerTreeRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/tree", TreeAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapPatch("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>(Edit.MergePatchType);
        group.MapDelete("/{id}", DeleteAsync);
    }

    /// <summary>With <c>backendGroups</c> and <c>listeners</c>, the whole tree is made in one revision.</summary>
    private static async Task<Created<LoadBalancerResponse>> CreateAsync(Body<LoadBalancerTreeRequest> body, Caller caller, LoadBalancerTreeOperations trees, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await trees.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<LoadBalancerTreeResponse>> TreeAsync(string id, Caller caller, LoadBalancerTreeOperations trees, CancellationToken ct) =>
        TypedResults.Ok(await trees.ReadAsync(caller, id, ct));

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
