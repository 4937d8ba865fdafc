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
        group.MapPost("/", CreateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).Accepts<LoadBalancerRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task<Created<LoadBalancerResponse>> CreateAsync(Body<LoadBalancerRequest> body, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct) =>
        http.Created(Collection, await loadBalancers.CreateAsync(caller, body.Value, http.Write(body), ct));

    private static async Task<Ok<Page<LoadBalancerResponse>>> ListAsync(Caller caller, LoadBalancerOperations loadBalancers, string? projectId, string? clusterId, int? offset, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await loadBalancers.ListAsync(caller, projectId, clusterId, offset, limit, ct));

    private static async Task<Ok<LoadBalancerResponse>> GetAsync(string id, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct) =>
        http.Ok(await loadBalancers.GetAsync(caller, id, ct));

    private static async Task<Ok<LoadBalancerResponse>> UpdateAsync(string id, Body<LoadBalancerRequest> body, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct) =>
        http.Ok(await loadBalancers.UpdateAsync(caller, id, body.Value, http.Write(body), ct));

    private static async Task<NoContent> DeleteAsync(string id, bool? cascade, Caller caller, LoadBalancerOperations loadBalancers, HttpContext http, CancellationToken ct)
    {
        await loadBalancers.DeleteAsync(caller, id, cascade is true, http.Write(), ct);
        return TypedResults.NoContent();
    }
}
