using System.Net.Http.Json;
using Fulcrum.Agent.Control;
using Fulcrum.Core.Api;
using Fulcrum.Core.Json;

namespace Fulcrum.Agent.Enrolment;

/// <summary>
/// <c>fulcrum-agent join</c>: trades a join token for a node credential and keeps it in the state directory, which
/// starts clean: the snapshot and generations of an earlier enrolment are dropped.
/// </summary>
public static class JoinCommand
{
    public static async Task<int> RunAsync(Uri server, ServerTrust trust, string token, AgentJoinRequest facts, StateDirectory state, TextWriter output, CancellationToken ct)
    {
        if (trust.Refusal(server) is { } refusal)
        {
            await output.WriteLineAsync($"join refused: {refusal}");
            return 2;
        }

        state.Create();
        using var http = new HttpClient(trust.CreateHandler()) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/agent/join") { Content = JsonContent.Create(facts with { Token = token }, options: FulcrumJson.Options) };
        HttpResponseMessage response;
        try
        {
            response = await ServerClient.SendAsync(http, request, ct);
        }
        catch (HttpRequestException e)
        {
            await output.WriteLineAsync($"join failed: {e.Message}");
            return 1;
        }

        using var answer = response;
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ServerClient.DescribeFailureAsync(response, ct);
            await output.WriteLineAsync($"join refused: {problem}");
            return 1;
        }

        var joined = (await response.Content.ReadFromJsonAsync<AgentJoinResponse>(FulcrumJson.Options, ct))!;
        // Every join makes a new node, maybe of another cluster: a snapshot cached for an earlier one must not be served.
        state.ForgetServed();
        StateDirectory.WritePrivate(state.CredentialFile, new NodeCredential(server, joined.NodeId, joined.ClusterId, joined.Credential, trust));
        await output.WriteLineAsync($"joined cluster {joined.ClusterId} as node {joined.NodeId}; credential kept in {state.CredentialFile}");
        return 0;
    }
}
