using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fulcrum.Core.Json;
using Microsoft.AspNetCore.Http;

namespace Fulcrum.Server.Tests.Infrastructure;

/// <summary>A caller of the API with one token; bodies are JSON in the API's own dialect.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(Url(path));

    public Task<HttpResponseMessage> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, Json(body));

    /// <summary>A POST without any body, as for an action whose options all have defaults.</summary>
    public Task<HttpResponseMessage> PostEmptyAsync(string path) => SendAsync(HttpMethod.Post, path, null);

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<HttpResponseMessage> PutAsync(string path, object body, string? ifMatch = null) => SendAsync(HttpMethod.Put, path, Json(body), ifMatch);

    public Task<HttpResponseMessage> PutRawAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<HttpResponseMessage> PatchAsync(string path, object body, string? ifMatch = null, string mediaType = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, Json(body), ifMatch, mediaType);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? ifMatch = null) => SendAsync(HttpMethod.Delete, path, null, ifMatch);

    public async Task<T> CreateAsync<T>(string path, object body) => await (await PostAsync(path, body)).ReadAsync<T>(HttpStatusCode.Created);

    public async Task<T> GetAsync<T>(string path) => await (await GetAsync(path)).ReadAsync<T>(HttpStatusCode.OK);

    public async Task<T> UpdateAsync<T>(string path, object body) => await (await PutAsync(path, body)).ReadAsync<T>(HttpStatusCode.OK);

    public void Dispose() => http.Dispose();

    public static string Json(object body) => JsonSerializer.Serialize(body, FulcrumJson.Options);

    private static string Url(string path) => path.StartsWith('/') ? path : "/api/v1/" + path;

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? ifMatch = null, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, Url(path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return http.SendAsync(request);
    }
}

public static class Responses
{
    /// <summary>The body as <typeparamref name="T"/> once the status is the expected one; else fails showing the body.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ExpectAsync(expected);
        return (await response.Content.ReadFromJsonAsync<T>(FulcrumJson.Options))!;
    }

    public static async Task<HttpValidationProblemDetails> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ExpectAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!;
    }

    public static async Task ExpectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }
}
