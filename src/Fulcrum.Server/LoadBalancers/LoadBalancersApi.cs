using Fulcrum.Core.Api;
using Fulcrum.Server.Auth;
using Fulcrum.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fulcrum.Server.LoadBalancers;

public static class LoadBalancersApi
{
    public static void MapLoadBalancersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/load-balancers").WithTags("Load balancers");
        group.MapPost("/", CreateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<LoadBalancerResponse>> CreateAsync(Body<LoadBalancerRequest> body, Caller caller, LoadBalancerOperations ops, HttpContext http, CancellationToken ct)
    {
        var created = await ops.CreateAsync(caller, body.Value, Write.From(http, body), ct);
        return http.Created($"/api/v1/load-balancers/{created.Value.Id}", created);
    }

    private static async Task<Ok<Page<LoadBalancerResponse>>> ListAsync(
        Caller caller, LoadBalancerOperations ops, string? projectId, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await ops.ListAsync(caller, projectId, clusterId, offset, limit, ct));

    private static async Task<Ok<LoadBalancerResponse>> GetAsync(string id, Caller caller, LoadBalancerOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.GetAsync(caller, id, ct));

    private static async Task<Ok<LoadBalancerResponse>> UpdateAsync(string id, Body<LoadBalancerRequest> body, Caller caller, LoadBalancerOperations ops, HttpContext http, CancellationToken ct) =>
        http.Ok(await ops.UpdateAsync(caller, id, body.Value, Write.From(http, body), ct));

    /// <summary>Without <c>cascade=true</c> a load balancer that still has listeners or backend groups is kept (409).</summary>
    private static async Task<NoContent> DeleteAsync(string id, bool? cascade, Caller caller, LoadBalancerOperations ops, HttpContext http, CancellationToken ct)
    {
        await ops.DeleteAsync(caller, id, cascade is true, Write.From(http), ct);
        return TypedResults.NoContent();
    }
}
