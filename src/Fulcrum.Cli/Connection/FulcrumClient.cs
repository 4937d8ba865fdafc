using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fulcrum.Cli.Connection;

/// <summary>The REST API as JSON trees; every failure becomes a <see cref="CliException"/> with its exit code.</summary>
public sealed class FulcrumClient : IDisposable
{
    private const int PageSize = 500;

    private readonly HttpClient _http;

    public FulcrumClient(CliContext context)
    {
        Context = context;
        _http = new HttpClient(ServerTrust.CreateHandler(context)) { BaseAddress = new Uri(context.Server.TrimEnd('/') + "/api/v1/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", context.Token);
    }

    public CliContext Context { get; }

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode> PostAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonNode> PutAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    public Task<JsonNode> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>Every item of a collection, page by page.</summary>
    public async Task<List<JsonObject>> ListAsync(string path, string? query, CancellationToken ct)
    {
        var items = new List<JsonObject>();
        while (true)
        {
            var page = await GetAsync($"{path}?offset={items.Count}&limit={PageSize}{(query is null ? "" : "&" + query)}", ct);
            var batch = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            items.AddRange(batch);
            if (batch.Count == 0 || items.Count >= page["total"]!.GetValue<int>())
            {
                return items;
            }
        }
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new CliException(ExitCodes.Unreachable, $"{Context.Server} is not trusted: its certificate does not match {TrustDescription()}.");
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach {Context.Server}: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
            }

            throw Failure(method, path, response.StatusCode, text);
        }
    }

    private string TrustDescription() => Context.Fingerprint is not null
        ? "the pinned fingerprint"
        : Context.CaCertificatePem is not null ? "the CA given with --ca-file" : "the system's trust store (use --ca-file or --server-fingerprint)";

    private static CliException Failure(HttpMethod method, string path, HttpStatusCode status, string text)
    {
        var code = status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ExitCodes.Validation,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Auth,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => ExitCodes.Conflict,
            _ => ExitCodes.Failure,
        };
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var message = problem?["title"]?.ToString() ?? $"{(int)status} {status}";
        // A validation problem's detail only says to read the field errors, which follow.
        if (problem?["detail"] is { } detail && problem["errors"] is null)
        {
            message = $"{message.TrimEnd('.')}: {detail}";
        }

        var details = new List<string>();
        if (problem?["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                var lines = messages is JsonArray array ? array.Select(m => m?.ToString()) : [messages?.ToString()];
                details.AddRange(lines.Select(m => $"{field}: {m}"));
            }
        }

        return new CliException(code, $"{method.Method} {path.Split('?')[0]}: {message}", details);
    }

    public void Dispose() => _http.Dispose();
}
